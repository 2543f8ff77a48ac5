import ScorebookCore

/// One-record line formatting for the input files of DESIGN.md ("Inputs"). Pure: each function returns
/// one line without its newline. Numbers have at most two decimals and never an exponent; booleans are
/// `1`/`0`; a missing value is an empty CSV field or JSON `null`. CSV fields are quoted only when they
/// hold a comma, a quote, CR or LF (quotes doubled). JSON keeps UTF-8 text as is and escapes only `"`,
/// `\` and control characters.
public enum DemoFormat {
    public static let rosterHeader = "employee_id,name,team,role,supervisor_id,active"
    public static let sessionsHeader =
        "session_id,agent_id,channel,started_at,ended_at,wait_seconds,first_response_seconds,handle_seconds,resolved,transferred,csat"
    public static let ratingsHeader = "period,employee_id,source,rater_id,criterion,score"

    public static func rosterLine(_ e: Employee) -> String {
        [csv(e.employeeID), csv(e.name), csv(e.team), e.role.rawValue, csv(e.supervisorID ?? ""), e.active ? "1" : "0"]
            .joined(separator: ",")
    }

    public static func sessionLine(_ s: Session) -> String {
        var line = csv(s.sessionID)
        line += ","; line += csv(s.agentID)
        line += ","; line += s.channel.rawValue
        line += ","; line += csv(s.startedAt)
        line += ","; line += csv(s.endedAt)
        line += ","; line += s.waitSeconds.map(number) ?? ""
        line += ","; line += s.firstResponseSeconds.map(number) ?? ""
        line += ","; line += s.handleSeconds.map(number) ?? ""
        line += ","; line += s.resolved.map { $0 ? "1" : "0" } ?? ""
        line += ","; line += s.transferred.map { $0 ? "1" : "0" } ?? ""
        line += ","; line += s.csat.map { String($0) } ?? ""
        return line
    }

    /// `{"session_id":...,"csat":5,"turns":[{"at":1.5,"end":4.0,"speaker":"agent","text":"..."}]}` — the
    /// session fields in the CSV order, then the turns; `at`/`end` with one decimal, `end` omitted when nil.
    public static func jsonLine(_ s: Session, turns: [Turn]) -> String {
        var line = "{\"session_id\":"
        appendJSONString(s.sessionID, to: &line)
        line += ",\"agent_id\":"; appendJSONString(s.agentID, to: &line)
        line += ",\"channel\":\""; line += s.channel.rawValue
        line += "\",\"started_at\":"; appendJSONString(s.startedAt, to: &line)
        line += ",\"ended_at\":"; appendJSONString(s.endedAt, to: &line)
        line += ",\"wait_seconds\":"; line += s.waitSeconds.map(number) ?? "null"
        line += ",\"first_response_seconds\":"; line += s.firstResponseSeconds.map(number) ?? "null"
        line += ",\"handle_seconds\":"; line += s.handleSeconds.map(number) ?? "null"
        line += ",\"resolved\":"; line += s.resolved.map { $0 ? "1" : "0" } ?? "null"
        line += ",\"transferred\":"; line += s.transferred.map { $0 ? "1" : "0" } ?? "null"
        line += ",\"csat\":"; line += s.csat.map { String($0) } ?? "null"
        line += ",\"turns\":["
        for (index, turn) in turns.enumerated() {
            if index > 0 { line += "," }
            line += "{\"at\":"; line += tenths(turn.at)
            if let end = turn.end { line += ",\"end\":"; line += tenths(end) }
            line += turn.speaker == .agent ? ",\"speaker\":\"agent\",\"text\":" : ",\"speaker\":\"customer\",\"text\":"
            appendJSONString(turn.text, to: &line)
            line += "}"
        }
        line += "]}"
        return line
    }

    public static func ratingLine(_ r: Rating) -> String {
        [csv(r.period), csv(r.employeeID), r.source.rawValue, csv(r.raterID), csv(r.criterion), number(r.score)]
            .joined(separator: ",")
    }

    /// A CSV field: quoted (with quotes doubled) only when it holds `,`, `"`, CR or LF.
    public static func csv(_ field: String) -> String {
        var needs = false
        for byte in field.utf8 where byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D {
            needs = true
            break
        }
        guard needs else { return field }
        var out = "\""
        for character in field {
            if character == "\"" { out += "\"\"" } else { out.append(character) }
        }
        out += "\""
        return out
    }

    /// A JSON string literal: `"`, `\` and control characters escaped, everything else (Chinese) as is.
    public static func json(_ text: String) -> String {
        var out = ""
        appendJSONString(text, to: &out)
        return out
    }

    static func appendJSONString(_ text: String, to out: inout String) {
        var clean = true
        for byte in text.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C {
            clean = false
            break
        }
        out += "\""
        if clean {
            out += text
        } else {
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
        }
        out += "\""
    }

    /// At most two decimals, no exponent, no trailing zeros: 12, 2.5, 0.25, -3.1 (half away from zero).
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "" }
        let cents = (value * 100).rounded()
        let negative = cents < 0
        let magnitude = UInt64(abs(cents))
        let whole = magnitude / 100, fraction = magnitude % 100
        var text = negative ? "-" : ""
        text += String(whole)
        if fraction != 0 {
            text += fraction % 10 == 0 ? "." + String(fraction / 10) : (fraction < 10 ? ".0" : ".") + String(fraction)
        }
        return text
    }

    /// One decimal, always written: 1.5, 4.0.
    public static func tenths(_ value: Double) -> String {
        let t = (value * 10).rounded()
        let negative = t < 0
        let magnitude = UInt64(abs(t))
        return (negative ? "-" : "") + String(magnitude / 10) + "." + String(magnitude % 10)
    }
}

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
        var bytes: [UInt8] = []
        appendJSONLine(s, turns: turns, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The same line as `jsonLine`, appended as UTF-8 bytes (no newline) — the fast path for writing
    /// millions of lines: no intermediate strings.
    public static func appendJSONLine(_ s: Session, turns: [Turn], to out: inout [UInt8]) {
        out.reserveCapacity(out.count + 400 + turns.count * 110)
        raw("{\"session_id\":", &out); jsonString(s.sessionID, &out)
        raw(",\"agent_id\":", &out); jsonString(s.agentID, &out)
        raw(",\"channel\":", &out); jsonString(s.channel.rawValue, &out)
        raw(",\"started_at\":", &out); jsonString(s.startedAt, &out)
        raw(",\"ended_at\":", &out); jsonString(s.endedAt, &out)
        raw(",\"wait_seconds\":", &out); optionalNumber(s.waitSeconds, &out)
        raw(",\"first_response_seconds\":", &out); optionalNumber(s.firstResponseSeconds, &out)
        raw(",\"handle_seconds\":", &out); optionalNumber(s.handleSeconds, &out)
        raw(",\"resolved\":", &out); raw(s.resolved.map { $0 ? "1" : "0" } ?? "null", &out)
        raw(",\"transferred\":", &out); raw(s.transferred.map { $0 ? "1" : "0" } ?? "null", &out)
        raw(",\"csat\":", &out)
        if let csat = s.csat { digits(UInt64(max(0, csat)), &out) } else { raw("null", &out) }
        raw(",\"turns\":[", &out)
        var first = true
        for turn in turns {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            raw("{\"at\":", &out); appendTenths(turn.at, &out)
            if let end = turn.end { raw(",\"end\":", &out); appendTenths(end, &out) }
            raw(turn.speaker == .agent ? ",\"speaker\":\"agent\",\"text\":" : ",\"speaker\":\"customer\",\"text\":", &out)
            jsonString(turn.text, &out)
            out.append(UInt8(ascii: "}"))
        }
        raw("]}", &out)
    }

    @inline(__always)
    private static func raw(_ text: String, _ out: inout [UInt8]) { out.append(contentsOf: text.utf8) }

    private static func optionalNumber(_ value: Double?, _ out: inout [UInt8]) {
        if let value, value.isFinite { raw(number(value), &out) } else { raw("null", &out) }
    }

    @inline(__always)
    private static func digits(_ value: UInt64, _ out: inout [UInt8]) {
        if value >= 10 { digits(value / 10, &out) }
        out.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    private static func appendTenths(_ value: Double, _ out: inout [UInt8]) {
        let t = (value * 10).rounded()
        if t < 0 { out.append(UInt8(ascii: "-")) }
        let magnitude = UInt64(abs(t))
        digits(magnitude / 10, &out)
        out.append(UInt8(ascii: "."))
        out.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
    }

    /// Appends a JSON string literal: `"`, `\` and control characters escaped, other UTF-8 as is.
    private static func jsonString(_ text: String, _ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
            case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
            case 0..<0x20:
                raw("\\u00", &out)
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(hex[Int(byte >> 4)]); out.append(hex[Int(byte & 15)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
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
        var out: [UInt8] = []
        jsonString(text, &out)
        return String(decoding: out, as: UTF8.self)
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

import ScorebookCore

/// A strict, allocation-light JSON reader for one session line of a JSONL file: an object whose
/// session fields are scalars (kept as text for the shared validation) and whose optional `turns` is an
/// array of `{at, end?, speaker, text}` objects. Keys it does not know are skipped (any JSON value); a key
/// it knows given twice in one object is refused.
/// Standard JSON only: escapes (including \uXXXX surrogate pairs) are decoded; numbers follow JSON's
/// grammar exactly (see `skipNumber`); anything else is a `FieldError` naming the field and, for other
/// syntax errors, "malformed JSON line".
///
/// Written for the import's hot path: Foundation's JSONSerialization / JSONDecoder spent most of the
/// import time building dictionaries and boxed numbers for every turn.
struct SessionLineParser {
    private let b: UnsafeBufferPointer<UInt8>
    private var i = 0

    /// One line: its session fields (present keys only; null is ""), its turns, and the keys it carries that
    /// are no session field (skipped; the caller decides whether that is a misspelling).
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws
        -> (fields: [String: String], turns: [TurnLine]?, unknownKeys: [String]) {
        var parser = SessionLineParser(b: bytes)
        return try parser.line()
    }

    private init(b: UnsafeBufferPointer<UInt8>) { self.b = b }

    private func malformed() -> FieldError { FieldError(field: "", reason: "malformed JSON line") }

    private mutating func skipSpace() {
        while i < b.count, b[i] == 32 || b[i] == 9 || b[i] == 10 || b[i] == 13 { i += 1 }
    }

    private mutating func expect(_ c: UInt8) throws {
        skipSpace()
        guard i < b.count, b[i] == c else { throw malformed() }
        i += 1
    }

    /// Calls `body` for each key of an object (positioned at its value); handles commas and the braces.
    private mutating func object(_ body: (inout SessionLineParser, String) throws -> Void) throws {
        try expect(123) // {
        skipSpace()
        if i < b.count, b[i] == 125 { i += 1; return }
        while true {
            skipSpace()
            let key = try string()
            try expect(58) // :
            skipSpace()
            try body(&self, key)
            skipSpace()
            guard i < b.count else { throw malformed() }
            if b[i] == 44 { i += 1; continue }
            if b[i] == 125 { i += 1; return }
            throw malformed()
        }
    }

    private mutating func line() throws -> (fields: [String: String], turns: [TurnLine]?, unknownKeys: [String]) {
        var fields: [String: String] = [:]
        var turns: [TurnLine]?
        var unknown: [String] = []
        // the keys read so far, by position in `SessionRecord.columns` (the last bit: `turns`): a key given
        // twice is refused rather than the last copy silently winning
        var seen: UInt32 = 0
        try object { p, key in
            if key == "turns" {
                try Self.once(&seen, bit: 31, key)
                turns = try p.turnArray()
            } else if let column = SessionRecord.columns.firstIndex(of: key) {
                try Self.once(&seen, bit: column, key)
                // null is an empty value (as an empty CSV cell), kept so a key that is there is told from one
                // that is not
                fields[key] = try p.scalarText(field: key, flag: key == "resolved" || key == "transferred") ?? ""
            } else {
                unknown.append(key)
                try p.skipValue(field: key)
            }
        }
        skipSpace()
        guard i == b.count else { throw malformed() }
        return (fields, turns, unknown)
    }

    private mutating func turnArray() throws -> [TurnLine]? {
        if try null() { return nil }
        guard i < b.count, b[i] == 91 else { throw FieldError(field: "turns", reason: "must be an array") }
        i += 1
        var turns: [TurnLine] = []
        skipSpace()
        if i < b.count, b[i] == 93 { i += 1; return turns }
        while true {
            let index = turns.count
            var at: Double?
            var end: Double?
            var speaker: String?
            var text: String?
            var seen: UInt32 = 0
            skipSpace()
            guard i < b.count, b[i] == 123 else { throw FieldError(field: "turns[\(index)]", reason: "must be an object") }
            try object { p, key in
                switch key {
                case "at":
                    try Self.once(&seen, bit: 0, "turns[\(index)].at")
                    at = try p.number(field: "turns[\(index)].at")
                case "end":
                    try Self.once(&seen, bit: 1, "turns[\(index)].end")
                    end = try p.null() ? nil : try p.number(field: "turns[\(index)].end")
                case "speaker":
                    try Self.once(&seen, bit: 2, "turns[\(index)].speaker")
                    speaker = try p.string(field: "turns[\(index)].speaker")
                case "text":
                    try Self.once(&seen, bit: 3, "turns[\(index)].text")
                    text = try p.string(field: "turns[\(index)].text")
                default: try p.skipValue(field: "turns[\(index)].\(key)")
                }
            }
            guard let at else { throw FieldError(field: "turns[\(index)].at", reason: "is missing") }
            guard let speaker else { throw FieldError(field: "turns[\(index)].speaker", reason: "is missing") }
            guard let text else { throw FieldError(field: "turns[\(index)].text", reason: "is missing") }
            turns.append(TurnLine(at: at, end: end, speaker: speaker, text: text))
            skipSpace()
            guard i < b.count else { throw malformed() }
            if b[i] == 44 { i += 1; continue }
            if b[i] == 93 { i += 1; return turns }
            throw malformed()
        }
    }

    /// Marks a key as read; a key read before is an error naming it (`field` is built only then).
    @inline(__always)
    private static func once(_ seen: inout UInt32, bit: Int, _ field: @autoclosure () -> String) throws {
        let mask: UInt32 = 1 << UInt32(bit)
        guard seen & mask == 0 else { throw FieldError(field: field(), reason: "is given twice in the same object") }
        seen |= mask
    }

    /// A scalar as text: strings as they are, numbers as written, true/false as 1/0 where `flag` (a yes/no
    /// field: a boolean is no number of seconds or survey answer); nil for null.
    private mutating func scalarText(field: String, flag: Bool) throws -> String? {
        guard i < b.count else { throw malformed() }
        switch b[i] {
        case 116 where flag: try literal("true"); return "1"
        case 102 where flag: try literal("false"); return "0"
        case 116, 102: throw FieldError(field: field, reason: "must be a string or a number, not true/false (only resolved and transferred are yes/no)")
        case 34: return try string()
        case 110: try literal("null"); return nil
        case 45, 46, 48...57:
            let start = i
            try skipNumber(field: field)
            return String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
        default: throw FieldError(field: field, reason: "must be a string or a number")
        }
    }

    private mutating func null() throws -> Bool {
        skipSpace()
        if i < b.count, b[i] == 110 { try literal("null"); return true }
        return false
    }

    private mutating func literal(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        guard i + n <= b.count else { throw malformed() }
        for k in 0..<n where b[i + k] != word.utf8Start[k] { throw malformed() }
        i += n
    }

    private mutating func string(field: @autoclosure () -> String) throws -> String {
        guard i < b.count, b[i] == 34 else { throw FieldError(field: field(), reason: "must be a string") }
        return try string()
    }

    private mutating func number(field: @autoclosure () -> String) throws -> Double {
        guard i < b.count, b[i] == 45 || b[i] == 46 || (b[i] >= 48 && b[i] <= 57) else {
            throw FieldError(field: field(), reason: "must be a number")
        }
        let start = i
        try skipNumber(field: field())
        // Fast path for plain decimals (what transcripts carry: 12.5; the grammar allows at most one '.');
        // others through the standard library.
        var value = 0.0, scale = 0.0, negative = false, simple = true
        for k in start..<i {
            let c = b[k]
            if c == 45 { negative = true } else if c == 46 { scale = 1 } else if c >= 48 && c <= 57 {
                value = value * 10 + Double(c - 48)
                if scale > 0 { scale *= 10 }
            } else { simple = false; break }
        }
        if simple, i - start <= 15 { return (negative ? -value : value) / max(scale, 1) }
        guard let parsed = Double(String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)) else {
            throw FieldError(field: field(), reason: "must be a number")
        }
        return parsed
    }

    /// Skips a number, which must follow JSON's grammar (RFC 8259):
    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` — standard JSON, like the rest of this reader,
    /// so a leading zero (`01`), a bare or doubled point (`1.`, `.5`, `1..5`, `1.2.3`), a lone `-` and an
    /// empty exponent (`1e`) are refused, as "'1.2.3' is not a number" (the validation's wording) on `field`.
    /// A number must end where a delimiter starts: `01` or `1.2.3` stop early with a number character next.
    private mutating func skipNumber(field: @autoclosure () -> String) throws {
        let start = i
        @inline(__always) func digit() -> Bool { i < b.count && b[i] >= 48 && b[i] <= 57 }
        @inline(__always) func digits() -> Bool {
            guard digit() else { return false }
            while digit() { i += 1 }
            return true
        }
        var valid = true
        if i < b.count, b[i] == 45 { i += 1 }
        if i < b.count, b[i] == 48 { i += 1 } else { valid = digits() }
        if valid, i < b.count, b[i] == 46 { i += 1; valid = digits() }
        if valid, i < b.count, b[i] == 101 || b[i] == 69 {
            i += 1
            if i < b.count, b[i] == 43 || b[i] == 45 { i += 1 }
            valid = digits()
        }
        @inline(__always) func numberByte(_ c: UInt8) -> Bool {
            (c >= 48 && c <= 57) || c == 46 || c == 101 || c == 69 || c == 43 || c == 45
        }
        if valid, i < b.count, numberByte(b[i]) { valid = false }
        guard valid else {
            var end = start
            while end < b.count, numberByte(b[end]) { end += 1 }
            let text = String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
            throw FieldError(field: field(), reason: "'\(text)' is not a number")
        }
    }

    /// A JSON string at the cursor (which is on the opening quote), escapes decoded.
    private mutating func string() throws -> String {
        guard i < b.count, b[i] == 34 else { throw malformed() }
        i += 1
        let start = i
        while i < b.count, b[i] != 34, b[i] != 92 {
            guard b[i] >= 0x20 else { throw malformed() }
            i += 1
        }
        guard i < b.count else { throw malformed() }
        if b[i] == 34 {
            defer { i += 1 }
            return String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
        }
        var out = [UInt8](UnsafeBufferPointer(rebasing: b[start..<i]))
        while i < b.count {
            let c = b[i]
            if c == 34 { i += 1; return String(decoding: out, as: UTF8.self) }
            guard c >= 0x20 else { throw malformed() }
            if c != 92 { out.append(c); i += 1; continue }
            guard i + 1 < b.count else { throw malformed() }
            let e = b[i + 1]
            i += 2
            switch e {
            case 34: out.append(34)
            case 92: out.append(92)
            case 47: out.append(47)
            case 98: out.append(8)
            case 102: out.append(12)
            case 110: out.append(10)
            case 114: out.append(13)
            case 116: out.append(9)
            case 117:
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard i + 1 < b.count, b[i] == 92, b[i + 1] == 117 else { throw malformed() }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw malformed() }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let unicode = Unicode.Scalar(scalar) else { throw malformed() }
                out.append(contentsOf: String(Character(unicode)).utf8)
            default: throw malformed()
            }
        }
        throw malformed()
    }

    private mutating func hex4() throws -> UInt32 {
        guard i + 4 <= b.count else { throw malformed() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = b[i]
            let digit: UInt32
            switch c {
            case 48...57: digit = UInt32(c - 48)
            case 97...102: digit = UInt32(c - 87)
            case 65...70: digit = UInt32(c - 55)
            default: throw malformed()
            }
            value = value * 16 + digit
            i += 1
        }
        return value
    }

    /// Skips any JSON value (for keys the importer does not use); `field` names the key in errors.
    private mutating func skipValue(field: @autoclosure () -> String) throws {
        skipSpace()
        guard i < b.count else { throw malformed() }
        switch b[i] {
        case 34: _ = try string()
        case 123: try object { p, _ in try p.skipValue(field: field()) }
        case 91:
            i += 1
            skipSpace()
            if i < b.count, b[i] == 93 { i += 1; return }
            while true {
                try skipValue(field: field())
                skipSpace()
                guard i < b.count else { throw malformed() }
                if b[i] == 44 { i += 1; continue }
                if b[i] == 93 { i += 1; return }
                throw malformed()
            }
        case 116: try literal("true")
        case 102: try literal("false")
        case 110: try literal("null")
        case 45, 46, 48...57: try skipNumber(field: field())
        default: throw malformed()
        }
    }
}

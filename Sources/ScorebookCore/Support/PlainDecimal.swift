/// A plain decimal number as people type it: digits with an optional sign, fraction and exponent (`12`,
/// `-0.5`, `1.5e3`) — what YAML 1.2 calls a float, without `.inf`/`.nan`. Swift's `Double(_:)` alone also
/// reads hexadecimal (`0x10` is 16), `inf` and `nan`, which no file or form means as a score, a weight or a
/// duration. One definition for the rubric and scheme files and for every record field.
public enum PlainDecimal {
    public static func isValid(_ text: String) -> Bool {
        let bytes = text.utf8
        var i = bytes.startIndex
        func at(_ c: Unicode.Scalar) -> Bool { i < bytes.endIndex && bytes[i] == UInt8(ascii: c) }
        func digits() -> Int {
            var n = 0
            while i < bytes.endIndex, bytes[i] >= 0x30, bytes[i] <= 0x39 { bytes.formIndex(after: &i); n += 1 }
            return n
        }
        if at("-") || at("+") { bytes.formIndex(after: &i) }
        var count = digits()
        if at(".") {
            bytes.formIndex(after: &i)
            count += digits()
        }
        guard count > 0 else { return false }
        if at("e") || at("E") {
            bytes.formIndex(after: &i)
            if at("-") || at("+") { bytes.formIndex(after: &i) }
            guard digits() > 0 else { return false }
        }
        return i == bytes.endIndex
    }

    /// The value of a plain decimal, or nil for anything else (finite or not: callers check the range).
    public static func parse(_ text: String) -> Double? {
        isValid(text) ? Double(text) : nil
    }
}

/// Strict ISO 8601 timestamps as session files carry them: `2026-10-03T09:15:27+08:00`, `...Z`,
/// `2026-10-03 09:15:27` (no zone: the service center's local time), optional fractional seconds.
public enum Timestamp {
    /// Whether a timestamp `parse` accepts is written with a UTC offset (`Z`, `+08:00`) rather than bare.
    public static func hasOffset(_ text: String) -> Bool {
        let time = text.utf8.dropFirst(19)   // after YYYY-MM-DDTHH:MM:SS
        return time.contains(UInt8(ascii: "Z")) || time.contains(UInt8(ascii: "+")) || time.contains(UInt8(ascii: "-"))
    }

    /// Seconds since 1970-01-01T00:00:00 in UTC (a zone-less time is taken as UTC), or nil if malformed
    /// or not a real calendar date.

    public static func parse(_ text: String) -> Double? {
        let b = Array(text.utf8)
        func digits(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var value = 0
            for i in from..<(from + count) {
                let c = b[i]
                guard c >= 48 && c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            return value
        }
        guard b.count >= 19,
              let year = digits(0, 4), b[4] == 45, let month = digits(5, 2), b[7] == 45, let day = digits(8, 2),
              b[10] == 84 || b[10] == 32, // 'T' or ' '
              let hour = digits(11, 2), b[13] == 58, let minute = digits(14, 2), b[16] == 58, let second = digits(17, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 61 else { return nil }
        var i = 19
        var fraction = 0.0
        if i < b.count, b[i] == 46 { // '.'
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 { fraction += Double(b[i] - 48) * scale; scale /= 10; i += 1 }
            guard i > start else { return nil }
        }
        var offset = 0
        if i < b.count {
            if b[i] == 90 { // 'Z'
                i += 1
            } else if b[i] == 43 || b[i] == 45 { // '+' or '-'
                let sign = b[i] == 45 ? -1 : 1
                guard let oh = digits(i + 1, 2) else { return nil }
                i += 3
                var om = 0
                if i < b.count, b[i] == 58 { // "+08:00"
                    guard let m = digits(i + 1, 2) else { return nil }
                    om = m
                    i += 3
                } else if let m = digits(i, 2) { // "+0800"
                    om = m
                    i += 2
                }
                guard oh < 24, om < 60 else { return nil }
                offset = sign * (oh * 3600 + om * 60)
            } else {
                return nil
            }
        }
        guard i == b.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Double(days * 86400 + hour * 3600 + minute * 60 + second - offset) + fraction
    }

    /// Whether `text` is a period `YYYY-MM`.
    public static func isPeriod(_ text: String) -> Bool {
        let b = Array(text.utf8)
        guard b.count == 7, b[4] == 45 else { return false }
        guard b[0...3].allSatisfy({ $0 >= 48 && $0 <= 57 }), b[5...6].allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return false }
        let month = Int(b[5] - 48) * 10 + Int(b[6] - 48)
        return (1...12).contains(month)
    }

    /// Whether `text` is a year `YYYY`.
    public static func isYear(_ text: String) -> Bool {
        text.utf8.count == 4 && text.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}

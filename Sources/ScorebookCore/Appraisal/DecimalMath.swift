import Foundation

/// Decimal-safe arithmetic for appraisal figures.
///
/// Every `Double` enters decimal arithmetic through its shortest round-trip decimal representation
/// (`"\(x)"`, so `89.995` is the decimal 89.995 and not 89.99499999999999744…), sums, means and ratios are
/// computed in `Decimal` (38 significant digits), and a result leaves as the `Double` nearest to that
/// decimal. Rounding is half-up on that decimal — never `(x * 100).rounded() / 100`.
public enum DecimalMath {
    /// The decimal a person reads when the `Double` is printed (shortest round-trip representation).
    public static func decimal(_ x: Double) -> Decimal {
        precondition(x.isFinite, "appraisal figures must be finite, found \(x)")
        if x == 0 { return 0 }
        guard let value = Decimal(string: "\(x)") else { fatalError("cannot read \(x) as a decimal") }
        return value
    }

    public static func decimal(_ x: Int) -> Decimal { Decimal(x) }

    /// The `Double` nearest to a decimal (through its full decimal text, so correctly rounded).
    public static func double(_ d: Decimal) -> Double {
        guard let value = Double("\(d)") else { fatalError("cannot convert \(d) to a Double") }
        return value == 0 ? 0 : value  // no -0.0
    }

    /// Rounds half-up (half away from zero; scores are never negative) to `places` decimals.
    public static func roundHalfUp(_ d: Decimal, places: Int = 2) -> Decimal {
        var value = d
        var result = Decimal()
        NSDecimalRound(&result, &value, places, .plain)
        return result
    }

    /// Rounds a `Double` half-up to `places` decimals via its shortest decimal representation:
    /// 89.995 → 90.00, 1.005 → 1.01, 79.994999 → 79.99.
    public static func roundHalfUp(_ x: Double, places: Int = 2) -> Double {
        double(roundHalfUp(decimal(x), places: places))
    }

    /// Mean of decimals; `nil` for an empty list.
    static func mean(_ values: [Decimal]) -> Decimal? {
        guard !values.isEmpty else { return nil }
        return values.reduce(0, +) / Decimal(values.count)
    }

    static func clamp(_ d: Decimal, _ low: Decimal, _ high: Decimal) -> Decimal {
        min(max(d, low), high)
    }

    /// Fixed-decimals text for people (half-up): `fixed(89.995, 2)` is "90.00".
    public static func fixed(_ x: Double, _ places: Int = 2) -> String {
        let rounded = roundHalfUp(decimal(x), places: places)
        var text = "\(rounded)"
        if places > 0 {
            if !text.contains(".") { text += "." }
            let decimals = text.count - 1 - text.distance(from: text.startIndex, to: text.firstIndex(of: ".")!)
            if decimals < places { text += String(repeating: "0", count: places - decimals) }
        }
        return text
    }

    /// A number without trailing zeros (30, 0.7, 0.6).
    public static func plain(_ x: Double) -> String { "\(decimal(x))" }
}

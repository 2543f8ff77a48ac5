/// Text normalization used for every phrase and every transcript turn before matching:
/// - full-width ASCII forms (U+FF01–FF5E) become their half-width ASCII character;
/// - ASCII letters are case-folded to lower case;
/// - all whitespace (Unicode's White_Space: ASCII space, tab, CR, LF, VT, FF, U+0085, U+00A0, U+1680,
///   U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000 ideographic space) and the invisible U+200B
///   zero-width space and U+FEFF is removed, so neither surrounding nor inner spacing (common in ASR output:
///   "您 好"; thin and zero-width spaces in pasted chat text) defeats a match.
/// Everything else (Chinese characters, Chinese punctuation such as 。) is kept byte for byte.
/// Matching is substring matching on the normalized UTF-8 bytes; no word segmentation.
public enum TextNormalizer {
    /// A regex pattern for normalized text: its full-width ASCII forms (U+FF01–FF5E) become half-width, as in
    /// the text it runs on — `卡号：\d{4}` (typed with a Chinese colon) could never match, and a red-line rule
    /// built on it never fired; punctuation is escaped so that `（` stays the literal `(` it stands for, not a
    /// group. The ideographic space (removed from the text) is removed. Everything else is left as written.
    public static func regexPattern(_ pattern: String) -> String {
        guard pattern.unicodeScalars.contains(where: { (0xFF01...0xFF5E).contains($0.value) || $0.value == 0x3000 }) else { return pattern }
        var out = String.UnicodeScalarView()
        var escaped = false   // the previous scalar was an unescaped backslash
        var inClass = 0       // inside [...] (a full-width － there is the range it looks like)
        for scalar in pattern.unicodeScalars {
            defer { escaped = !escaped && scalar == "\\" }
            if scalar.value == 0x3000 { continue }
            guard (0xFF01...0xFF5E).contains(scalar.value) else {
                if !escaped, scalar == "[" { inClass += 1 } else if !escaped, scalar == "]", inClass > 0 { inClass -= 1 }
                out.append(scalar)
                continue
            }
            let ascii = Unicode.Scalar(scalar.value - 0xFF01 + 0x21)!
            let literal = ascii.properties.isAlphabetic || ("0"..."9").contains(ascii) || (inClass > 0 && ascii == "-")
            if !literal && !escaped { out.append("\\") }
            out.append(ascii)
        }
        return String(out)
    }

    /// The normalized form of `text`.
    public static func normalize(_ text: String) -> String {
        String(decoding: normalizedBytes(text), as: UTF8.self)
    }

    static func normalizedBytes(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        Array(text.utf8).withUnsafeBufferPointer { src in walk(src) { byte, _, _ in bytes.append(byte) } }
        return bytes
    }

    /// The rules, once, byte by byte: calls `emit(byte, from, length)` for each normalized byte, with the
    /// source bytes `from ..< from + length` it stands for (3 for a full-width form, else 1).
    @inline(__always)
    static func walk(_ src: UnsafeBufferPointer<UInt8>, _ emit: (UInt8, Int, Int) -> Void) {
        let n = src.count
        var i = 0
        while i < n {
            let b = src[i]
            // lead bytes E4–E9 (U+4000–U+9FFF, CJK ideographs: most of a Chinese transcript) are kept with
            // their two continuation bytes; the text is valid UTF-8 (it comes from Swift strings)
            if b &- 0xE4 < 6, i + 3 <= n {
                emit(b, i, 1); emit(src[i + 1], i + 1, 1); emit(src[i + 2], i + 2, 1)
                i += 3
                continue
            }
            if b < 0x80 {
                if b != 0x20 && (b < 0x09 || b > 0x0D) { emit(b >= 0x41 && b <= 0x5A ? b | 0x20 : b, i, 1) }
                i += 1
            } else if b == 0xEF, i + 2 < n {
                let b1 = src[i + 1], b2 = src[i + 2]
                let cp = (UInt32(b & 0x0F) << 12) | (UInt32(b1 & 0x3F) << 6) | UInt32(b2 & 0x3F)
                if cp >= 0xFF01 && cp <= 0xFF5E {
                    var a = UInt8(cp - 0xFEE0)
                    if a >= 0x41 && a <= 0x5A { a |= 0x20 }
                    emit(a, i, 3)
                    i += 3
                } else if cp == 0xFEFF {
                    i += 3  // zero-width no-break space (a BOM inside the text)
                } else {
                    emit(b, i, 1); i += 1
                }
            } else if b == 0xE3, i + 2 < n, src[i + 1] == 0x80, src[i + 2] == 0x80 {
                i += 3  // U+3000 ideographic space
            } else if b == 0xC2, i + 1 < n, src[i + 1] == 0xA0 || src[i + 1] == 0x85 {
                i += 2  // U+00A0 no-break space, U+0085 next line
            } else if b == 0xE2, i + 2 < n, isSpaceAfterE2(src[i + 1], src[i + 2]) {
                i += 3  // U+2000–U+200B, U+2028, U+2029, U+202F, U+205F
            } else if b == 0xE1, i + 2 < n, src[i + 1] == 0x9A, src[i + 2] == 0x80 {
                i += 3  // U+1680 ogham space mark
            } else {
                emit(b, i, 1)
                i += 1
            }
        }
    }

    /// The last two bytes of a whitespace character whose UTF-8 starts with E2.
    @inline(__always)
    static func isSpaceAfterE2(_ b1: UInt8, _ b2: UInt8) -> Bool {
        if b1 == 0x80 { return b2 <= 0x8B || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF }
        return b1 == 0x81 && b2 == 0x9F
    }

    /// The source bytes that normalized bytes `start ..< end` of `src` came from (to show evidence in the
    /// original words); nil when the range is empty or out of bounds.
    static func sourceRange(_ src: UnsafeBufferPointer<UInt8>, normalized start: Int, _ end: Int) -> Range<Int>? {
        guard start >= 0, start < end else { return nil }
        var o = 0, from = -1, to = -1
        walk(src) { _, at, length in
            if o == start { from = at }
            if o == end - 1 { to = at + length }
            o += 1
        }
        return from >= 0 && to >= 0 ? from..<to : nil
    }

    /// Writes the normalized bytes of `src` to `dst` (room for `src.count` bytes: normalization never
    /// grows text) and returns how many were written. The hot path of the transcript scan.
    @inline(__always)
    static func normalize(_ src: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutablePointer<UInt8>) -> Int {
        var o = 0
        walk(src) { byte, _, _ in dst[o] = byte; o += 1 }
        return o
    }

    /// Number of content characters (letters, digits, CJK ideographs...) in UTF-8 text: whitespace and
    /// punctuation (ASCII, general, CJK and full-width punctuation) are not counted. Used by speech rate,
    /// interruption and repetition `min_chars`.
    static func contentCharacters(_ src: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        var i = 0
        let n = src.count
        while i < n {
            let b = src[i]
            // U+4000–U+9FFF (lead bytes E4–E9: CJK ideographs, most of a Chinese transcript) are all content
            if b &- 0xE4 < 6, i + 3 <= n { count += 1; i += 3; continue }
            var cp: UInt32
            var len: Int
            if b < 0x80 { cp = UInt32(b); len = 1 }
            else if b < 0xE0 { cp = UInt32(b & 0x1F); len = 2 }
            else if b < 0xF0 { cp = UInt32(b & 0x0F); len = 3 }
            else { cp = UInt32(b & 0x07); len = 4 }
            if i + len > n { break }
            var k = 1
            while k < len { cp = (cp << 6) | UInt32(src[i + k] & 0x3F); k += 1 }
            i += len
            if isContent(cp) { count += 1 }
        }
        return count
    }

    @inline(__always)
    static func isContent(_ cp: UInt32) -> Bool {
        if cp < 0x80 {
            return (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5A) || (cp >= 0x61 && cp <= 0x7A)
        }
        if cp == 0xA0 || cp == 0x85 || cp == 0x1680 || cp == 0xFEFF { return false }
        if cp >= 0x2000 && cp <= 0x206F { return false }   // general punctuation, spaces
        if cp >= 0x3000 && cp <= 0x303F { return false }   // CJK symbols and punctuation
        if cp >= 0xFE30 && cp <= 0xFE4F { return false }   // CJK compatibility forms
        if cp >= 0xFF00 && cp <= 0xFF0F { return false }   // full-width punctuation
        if cp >= 0xFF1A && cp <= 0xFF20 { return false }
        if cp >= 0xFF3B && cp <= 0xFF40 { return false }
        if cp >= 0xFF5B && cp <= 0xFF65 { return false }
        return true
    }
}

/// Text normalization used for every phrase and every transcript turn before matching:
/// - full-width ASCII forms (U+FF01–FF5E) become their half-width ASCII character;
/// - ASCII letters are case-folded to lower case;
/// - all whitespace (ASCII space, tab, CR, LF, VT, FF, U+00A0, U+3000 ideographic space) is removed,
///   so neither surrounding nor inner spacing (common in ASR output: "您 好") defeats a match.
/// Everything else (Chinese characters, Chinese punctuation such as 。) is kept byte for byte.
/// Matching is substring matching on the normalized UTF-8 bytes; no word segmentation.
public enum TextNormalizer {
    /// The normalized form of `text`.
    public static func normalize(_ text: String) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)
        utf8.withUnsafeMutableBufferPointer { src in
            normalize(UnsafeBufferPointer(src), into: &bytes, map: nil)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func normalizedBytes(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        utf8.withUnsafeBufferPointer { normalize($0, into: &bytes, map: nil) }
        return bytes
    }

    /// Appends the normalized bytes of `src` to `out`. When `map` is given, appends for each output byte
    /// the offset of the source byte it came from (to recover original text for evidence).
    @inline(__always)
    static func normalize(_ src: UnsafeBufferPointer<UInt8>, into out: inout [UInt8], map: UnsafeMutablePointer<[Int32]>?) {
        let n = src.count
        var i = 0
        while i < n {
            let b = src[i]
            if b < 0x80 {
                if b == 0x20 || (b >= 0x09 && b <= 0x0D) { i += 1; continue }
                out.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
                map?.pointee.append(Int32(i))
                i += 1
            } else if b == 0xEF, i + 2 < n {
                let b1 = src[i + 1], b2 = src[i + 2]
                let cp = (UInt32(b & 0x0F) << 12) | (UInt32(b1 & 0x3F) << 6) | UInt32(b2 & 0x3F)
                if cp >= 0xFF01 && cp <= 0xFF5E {
                    var a = UInt8(cp - 0xFEE0)
                    if a >= 0x41 && a <= 0x5A { a |= 0x20 }
                    out.append(a)
                    map?.pointee.append(Int32(i))
                    i += 3
                } else {
                    out.append(b); map?.pointee.append(Int32(i)); i += 1
                }
            } else if b == 0xE3, i + 2 < n, src[i + 1] == 0x80, src[i + 2] == 0x80 {
                i += 3  // U+3000 ideographic space
            } else if b == 0xC2, i + 1 < n, src[i + 1] == 0xA0 {
                i += 2  // U+00A0 no-break space
            } else {
                out.append(b)
                map?.pointee.append(Int32(i))
                i += 1
            }
        }
    }

    /// Writes the normalized bytes of `src` to `dst` (room for `src.count` bytes: normalization never
    /// grows text) and returns how many were written. The hot path of the transcript scan.
    @inline(__always)
    static func normalize(_ src: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutablePointer<UInt8>) -> Int {
        let n = src.count
        var i = 0
        var o = 0
        while i < n {
            let b = src[i]
            if b < 0x80 {
                if b != 0x20 && (b < 0x09 || b > 0x0D) {
                    dst[o] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
                    o += 1
                }
                i += 1
            } else if b == 0xEF, i + 2 < n {
                let b1 = src[i + 1], b2 = src[i + 2]
                let cp = (UInt32(b & 0x0F) << 12) | (UInt32(b1 & 0x3F) << 6) | UInt32(b2 & 0x3F)
                if cp >= 0xFF01 && cp <= 0xFF5E {
                    var a = UInt8(cp - 0xFEE0)
                    if a >= 0x41 && a <= 0x5A { a |= 0x20 }
                    dst[o] = a; o += 1; i += 3
                } else {
                    dst[o] = b; o += 1; i += 1
                }
            } else if b == 0xE3, i + 2 < n, src[i + 1] == 0x80, src[i + 2] == 0x80 {
                i += 3
            } else if b == 0xC2, i + 1 < n, src[i + 1] == 0xA0 {
                i += 2
            } else {
                dst[o] = b; o += 1; i += 1
            }
        }
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
        if cp == 0xA0 { return false }
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

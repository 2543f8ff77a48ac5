/// A compact binary transcript encoding, stored by the storage layer as a BLOB and scanned by the rule
/// engine without any JSON parsing.
///
/// Layout (little-endian):
/// ```
/// u8   format version (1)
/// uvar turn count
/// per turn:
///   u8   flags: bit 0 = speaker is customer, bit 1 = `end` present
///   f64  at (seconds from the session's start)
///   f64  end (only when bit 1 is set)
///   uvar text length in bytes
///   ...  text, UTF-8, as given (not normalized: evidence shows the original words)
/// ```
/// `uvar` is an unsigned LEB128 varint.
public enum TranscriptCodec {
    public static let formatVersion: UInt8 = 1

    public static func encode(_ turns: [Turn]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(turns.reduce(8) { $0 + 20 + $1.text.utf8.count })
        out.append(formatVersion)
        putVarint(UInt64(turns.count), &out)
        for turn in turns {
            var flags: UInt8 = turn.speaker == .customer ? 1 : 0
            if turn.end != nil { flags |= 2 }
            out.append(flags)
            putDouble(turn.at, &out)
            if let end = turn.end { putDouble(end, &out) }
            let utf8 = turn.text.utf8
            putVarint(UInt64(utf8.count), &out)
            out.append(contentsOf: utf8)
        }
        return out
    }

    public static func decode(_ bytes: [UInt8]) throws -> [Turn] {
        try bytes.withUnsafeBytes { try decode($0) }
    }

    public static func decode(_ bytes: UnsafeRawBufferPointer) throws -> [Turn] {
        var headers: [TurnHeader] = []
        try readHeaders(bytes, into: &headers)
        return headers.map { h in
            Turn(at: h.at, end: h.end.isNaN ? nil : h.end, speaker: h.speaker,
                 text: String(decoding: UnsafeRawBufferPointer(rebasing: bytes[Int(h.textStart)..<Int(h.textStart + h.textLength)]), as: UTF8.self))
        }
    }

    static func putVarint(_ value: UInt64, _ out: inout [UInt8]) {
        var v = value
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }

    static func putDouble(_ value: Double, _ out: inout [UInt8]) {
        var bits = value.bitPattern.littleEndian
        withUnsafeBytes(of: &bits) { out.append(contentsOf: $0) }
    }

    /// Reads the turn headers (times, speaker, where the text is) without copying any text.
    static func readHeaders(_ bytes: UnsafeRawBufferPointer, into headers: inout [TurnHeader]) throws {
        headers.removeAll(keepingCapacity: true)
        let n = bytes.count
        guard n >= 2 else { throw TranscriptCodecError(reason: "too short (\(n) bytes)") }
        guard bytes[0] == formatVersion else { throw TranscriptCodecError(reason: "unknown format version \(bytes[0])") }
        var p = 1
        func varint() throws -> Int {
            var result: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard p < n, shift < 63 else { throw TranscriptCodecError(reason: "truncated length at byte \(p)") }
                let b = bytes[p]; p += 1
                result |= UInt64(b & 0x7F) << shift
                if b < 0x80 { break }
                shift += 7
            }
            guard result <= UInt64(Int32.max) else { throw TranscriptCodecError(reason: "length out of range at byte \(p)") }
            return Int(result)
        }
        func double() throws -> Double {
            guard p + 8 <= n else { throw TranscriptCodecError(reason: "truncated time at byte \(p)") }
            let bits = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: p, as: UInt64.self))
            p += 8
            return Double(bitPattern: bits)
        }
        let count = try varint()
        headers.reserveCapacity(count)
        for index in 0..<count {
            guard p < n else { throw TranscriptCodecError(reason: "truncated at turn \(index)") }
            let flags = bytes[p]; p += 1
            guard flags & ~3 == 0 else { throw TranscriptCodecError(reason: "bad flags at turn \(index)") }
            let at = try double()
            let end = flags & 2 != 0 ? try double() : .nan
            let length = try varint()
            guard p + length <= n else { throw TranscriptCodecError(reason: "truncated text at turn \(index)") }
            headers.append(TurnHeader(at: at, end: end, speaker: flags & 1 != 0 ? .customer : .agent,
                                      textStart: Int32(p), textLength: Int32(length)))
            p += length
        }
        guard p == n else { throw TranscriptCodecError(reason: "\(n - p) trailing bytes") }
    }
}

public struct TranscriptCodecError: Error, CustomStringConvertible, Equatable, Sendable {
    public var reason: String
    public var description: String { "corrupt encoded transcript: \(reason)" }
}

/// A decoded turn header pointing into the encoded bytes. `end` is NaN when absent.
struct TurnHeader {
    var at: Double
    var end: Double
    var speaker: Speaker
    var textStart: Int32
    var textLength: Int32
    var hasEnd: Bool { !end.isNaN }
    /// the turn's end, or its start when it has no end
    var endOrAt: Double { end.isNaN ? at : end }
}

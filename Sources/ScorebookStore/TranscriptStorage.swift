import ScorebookCore

/// How transcripts are stored in the `transcripts.data` BLOB: the core's compact `TranscriptCodec`
/// encoding, which the rule engine scans in place (no JSON to parse again).
enum TranscriptStorage {
    static func encode(_ turns: [Turn]) -> [UInt8] { TranscriptCodec.encode(turns) }
    static func decode(_ bytes: [UInt8]) throws -> [Turn] { try TranscriptCodec.decode(bytes) }
}

import Foundation
import ScorebookCore

/// How transcripts are stored in the `transcripts.data` BLOB.
/// Interim encoding (JSON) until the rule engine's compact codec lands.
enum TranscriptStorage {
    private struct StoredTurn: Codable {
        var at: Double
        var end: Double?
        var speaker: String
        var text: String
    }

    static func encode(_ turns: [Turn]) -> [UInt8] {
        let stored = turns.map { StoredTurn(at: $0.at, end: $0.end, speaker: $0.speaker.rawValue, text: $0.text) }
        return [UInt8]((try? JSONEncoder().encode(stored)) ?? Data())
    }

    static func decode(_ bytes: [UInt8]) throws -> [Turn] {
        try JSONDecoder().decode([StoredTurn].self, from: Data(bytes)).map {
            Turn(at: $0.at, end: $0.end, speaker: Speaker(rawValue: $0.speaker) ?? .agent, text: $0.text)
        }
    }
}

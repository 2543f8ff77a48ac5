/// Service channel of a customer-service session.
public enum Channel: String, Sendable, CaseIterable, Codable {
    case video, phone, chat

    public var label: String {
        switch self {
        case .video: return "视频"
        case .phone: return "电话"
        case .chat: return "在线文字"
        }
    }
}

public enum Speaker: String, Sendable, Codable {
    case agent, customer
}

/// One turn of a transcript: who spoke, from `at` to the optional `end` (seconds from the session's start).
public struct Turn: Sendable, Equatable {
    public var at: Double
    public var end: Double?
    public var speaker: Speaker
    public var text: String

    public init(at: Double, end: Double? = nil, speaker: Speaker, text: String) {
        self.at = at
        self.end = end
        self.speaker = speaker
        self.text = text
    }
}

/// A customer-service session's metadata (one row of sessions.csv / one JSONL line without turns).
public struct Session: Sendable, Equatable {
    public var sessionID: String
    public var agentID: String
    public var channel: Channel
    /// ISO 8601 text as given; `period` is its `YYYY-MM` prefix (the service center's local date).
    public var startedAt: String
    public var endedAt: String
    public var waitSeconds: Double?
    public var firstResponseSeconds: Double?
    public var handleSeconds: Double?
    /// Solved on this first contact (first-contact resolution).
    public var resolved: Bool?
    public var transferred: Bool?
    /// The customer's 1–5 survey answer, if any.
    public var csat: Int?

    public init(sessionID: String, agentID: String, channel: Channel, startedAt: String, endedAt: String,
                waitSeconds: Double? = nil, firstResponseSeconds: Double? = nil, handleSeconds: Double? = nil,
                resolved: Bool? = nil, transferred: Bool? = nil, csat: Int? = nil) {
        self.sessionID = sessionID
        self.agentID = agentID
        self.channel = channel
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.waitSeconds = waitSeconds
        self.firstResponseSeconds = firstResponseSeconds
        self.handleSeconds = handleSeconds
        self.resolved = resolved
        self.transferred = transferred
        self.csat = csat
    }

    public var period: String { String(startedAt.prefix(7)) }
}

/// Role of a person on the roster.
public enum Role: String, Sendable, CaseIterable, Codable {
    case agent, inspector, supervisor, hr

    /// The role in a sentence: "an agent", "an inspector", "a supervisor", "HR".
    public var inSentence: String {
        switch self {
        case .agent: return "an agent"
        case .inspector: return "an inspector"
        case .supervisor: return "a supervisor"
        case .hr: return "HR"
        }
    }
}

/// One row of roster.csv.
public struct Employee: Sendable, Equatable {
    public var employeeID: String
    public var name: String
    public var team: String
    public var role: Role
    public var supervisorID: String?
    public var active: Bool

    public init(employeeID: String, name: String, team: String, role: Role, supervisorID: String? = nil, active: Bool = true) {
        self.employeeID = employeeID
        self.name = name
        self.team = team
        self.role = role
        self.supervisorID = supervisorID
        self.active = active
    }
}

/// The roster's `supervisor_id` chain: one walk for the web's access rules and the store's checks.
public enum SupervisorChain {
    /// Whether `supervisorID` is above `employeeID` — their supervisor, the supervisor's supervisor, … (a loop
    /// in the chain ends the walk). `supervisorOf` gives an employee's supervisor id.
    public static func leads(_ supervisorID: String, _ employeeID: String,
                             supervisorOf: (String) throws -> String?) rethrows -> Bool {
        guard supervisorID != employeeID else { return false }
        var seen: Set<String> = [employeeID]
        var next = try supervisorOf(employeeID)
        while let id = next, seen.insert(id).inserted {
            if id == supervisorID { return true }
            next = try supervisorOf(id)
        }
        return false
    }
}

import ScorebookCore

/// Who may see and do what in the web app — one place, checked by every route. Pure: the routes look up
/// the employees concerned and ask here.
///
/// - agent (客服专员): only their own records — submitted inspections, appraisals, their self-rating;
///   acknowledges or disputes their inspections; rates the other agents of their team as a peer.
/// - inspector (质检人员): every inspection; scores sessions by hand (never their own); runs full-coverage
///   automatic inspection; reviews automatic findings; answers disputes.
/// - supervisor (组长/主管): the records of the people they lead — everyone below them through the roster's
///   `supervisor_id` chain (a team lead their agents, the center head everyone under the team leads); enters
///   supervisor ratings for their direct reports, scores their people's sessions, answers their people's
///   disputes, sees their appraisals. The center's lead — a supervisor above every active agent and every
///   other active supervisor — also runs the month's appraisal, finalizes and reopens periods and downloads
///   the workbook: those act on everyone's results, so a team lead, who may not see the other teams', does not.
/// - hr: appraisals of everyone, and the workbook of a finalized period; no inspection details.
public struct Access: Sendable {
    public let roster: [String: Employee]

    public init(roster: [Employee]) {
        self.roster = Dictionary(roster.map { ($0.employeeID, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public func canSeeInspection(_ user: Employee, agent: Employee, submitted: Bool) -> Bool {
        switch user.role {
        case .agent: return submitted && agent.employeeID == user.employeeID
        case .inspector: return true
        case .supervisor: return leads(user, agent)
        case .hr: return false
        }
    }

    public func canRespond(_ user: Employee, agent: Employee) -> Bool {
        user.role == .agent && agent.employeeID == user.employeeID
    }

    public func canAnswerDispute(_ user: Employee, agent: Employee) -> Bool {
        guard agent.employeeID != user.employeeID else { return false }
        switch user.role {
        case .inspector: return true
        case .supervisor: return leads(user, agent)
        case .agent, .hr: return false
        }
    }

    /// Reviewing automatic findings (复核) is the dispute answerers' work: inspectors, the agent's supervisors.
    public func canReviewFindings(_ user: Employee, agent: Employee) -> Bool { canAnswerDispute(user, agent: agent) }

    public func canSeeAppraisal(_ user: Employee, of employee: Employee) -> Bool {
        switch user.role {
        case .agent: return employee.employeeID == user.employeeID
        case .supervisor: return leads(user, employee)
        case .hr: return true
        case .inspector: return false
        }
    }

    /// Who may score a session by hand: an inspector any agent's, a supervisor their people's; nobody their own.
    public func canInspect(_ user: Employee, agent: Employee) -> Bool {
        guard agent.employeeID != user.employeeID else { return false }
        switch user.role {
        case .inspector: return true
        case .supervisor: return leads(user, agent)
        case .agent, .hr: return false
        }
    }

    /// The center's lead: a supervisor above every active agent and every other active supervisor on the
    /// roster (see the type's comment). The supervisors matter too: a team lead whose colleagues' teams have
    /// no active agent left this month is above every active agent, but still not the center's lead.
    public func leadsEveryAgent(_ user: Employee) -> Bool {
        guard user.role == .supervisor, user.active else { return false }
        let agents = roster.values.filter { $0.role == .agent && $0.active }
        let otherLeads = roster.values.filter { $0.role == .supervisor && $0.active && $0.employeeID != user.employeeID }
        return !agents.isEmpty && agents.allSatisfy { leads(user, $0) } && otherLeads.allSatisfy { leads(user, $0) }
    }

    /// Full-coverage automatic inspection of a month (every session, every agent): inspectors.
    public func canRunAutomaticInspection(_ user: Employee) -> Bool { user.role == .inspector }

    /// Running the monthly appraisal and finalizing the period: the center's lead only.
    public func canManageAppraisals(_ user: Employee) -> Bool { leadsEveryAgent(user) }

    /// The HR workbook holds everyone's results: the center's lead (a DRAFT before finalizing) and HR (only
    /// a finalized period: what HR imports into the bonus system must not change afterwards).
    public func canDownloadWorkbook(_ user: Employee, finalized: Bool) -> Bool {
        switch user.role {
        case .hr: return finalized
        case .supervisor: return leadsEveryAgent(user)
        case .agent, .inspector: return false
        }
    }

    /// A supervisor rates their direct reports who are agents (the ratings template's rule too): the
    /// appraisal is of agents, so a rating of a team lead or an inspector would count nowhere.
    public func canRateAsSupervisor(_ user: Employee, _ employee: Employee) -> Bool {
        user.role == .supervisor && employee.role == .agent && employee.supervisorID == user.employeeID && employee.active
            && employee.employeeID != user.employeeID
    }

    /// An agent rates the other active agents of their team as a peer (the ratings template's rule too);
    /// the ratee never sees who rated them.
    public func canRateAsPeer(_ user: Employee, _ employee: Employee) -> Bool {
        user.role == .agent && user.active && employee.role == .agent && employee.active
            && employee.team == user.team && employee.employeeID != user.employeeID
    }

    /// Whose records a listing shows this user: nil = everyone's.
    public func visibleEmployees(_ user: Employee) -> Set<String>? {
        switch user.role {
        case .agent: return [user.employeeID]
        case .supervisor: return Set(roster.values.filter { leads(user, $0) }.map(\.employeeID))
        case .inspector, .hr: return nil
        }
    }

    /// True when `user` is a supervisor somewhere up `employee`'s `supervisor_id` chain (cycles in a bad
    /// roster end the walk).
    public func leads(_ user: Employee, _ employee: Employee) -> Bool {
        guard user.role == .supervisor else { return false }
        return SupervisorChain.leads(user.employeeID, employee.employeeID) { id in
            id == employee.employeeID ? employee.supervisorID : roster[id]?.supervisorID
        }
    }
}

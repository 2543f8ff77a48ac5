import XCTest
import ScorebookCore
@testable import ScorebookWeb

/// The access rules alone: who leads whom through the roster, and what each role may see.
final class AccessTests: XCTestCase {
    let roster = [
        Employee(employeeID: "S0", name: "主任", team: "中心", role: .supervisor),
        Employee(employeeID: "S1", name: "组长", team: "一组", role: .supervisor, supervisorID: "S0"),
        Employee(employeeID: "A1", name: "张伟", team: "一组", role: .agent, supervisorID: "S1"),
        Employee(employeeID: "A2", name: "李娜", team: "二组", role: .agent, supervisorID: "S2"),
        Employee(employeeID: "S2", name: "二组组长", team: "二组", role: .supervisor, supervisorID: "S0"),
        // A broken roster: X1 and X2 supervise each other.
        Employee(employeeID: "X1", name: "环1", team: "?", role: .supervisor, supervisorID: "X2"),
        Employee(employeeID: "X2", name: "环2", team: "?", role: .supervisor, supervisorID: "X1"),
        Employee(employeeID: "Q1", name: "质检", team: "质检组", role: .inspector, supervisorID: "S0"),
        Employee(employeeID: "H1", name: "人事", team: "HR", role: .hr),
    ]

    func employee(_ id: String) -> Employee { roster.first { $0.employeeID == id }! }

    func testLeadingFollowsTheSupervisorChainAndStopsAtCycles() {
        let access = Access(roster: roster)
        XCTAssertTrue(access.leads(employee("S1"), employee("A1")))
        XCTAssertTrue(access.leads(employee("S0"), employee("A1")), "two levels up")
        XCTAssertFalse(access.leads(employee("S1"), employee("A2")))
        XCTAssertFalse(access.leads(employee("S1"), employee("S1")), "nobody leads themself")
        XCTAssertFalse(access.leads(employee("A1"), employee("A1")))
        XCTAssertFalse(access.leads(employee("S0"), employee("X1")), "a cycle ends the walk")
        XCTAssertTrue(access.leads(employee("X2"), employee("X1")))
        XCTAssertEqual(access.visibleEmployees(employee("S1")), ["A1"])
        XCTAssertEqual(access.visibleEmployees(employee("S0")), ["S1", "A1", "A2", "S2", "Q1"])
        XCTAssertEqual(access.visibleEmployees(employee("A1")), ["A1"])
        XCTAssertNil(access.visibleEmployees(employee("Q1")))
    }

    func testWhatEachRoleMaySeeAndDo() {
        let access = Access(roster: roster)
        let (a1, a2, s1, s0, q1, h1) = (employee("A1"), employee("A2"), employee("S1"), employee("S0"), employee("Q1"), employee("H1"))
        XCTAssertTrue(access.canSeeInspection(a1, agent: a1, submitted: true))
        XCTAssertFalse(access.canSeeInspection(a1, agent: a1, submitted: false), "an agent does not see drafts")
        XCTAssertFalse(access.canSeeInspection(a1, agent: a2, submitted: true))
        XCTAssertTrue(access.canSeeInspection(q1, agent: a2, submitted: false))
        XCTAssertFalse(access.canSeeInspection(h1, agent: a1, submitted: true))
        XCTAssertTrue(access.canRespond(a1, agent: a1))
        XCTAssertFalse(access.canRespond(s1, agent: a1), "only the agent responds")
        XCTAssertTrue(access.canAnswerDispute(q1, agent: a1))
        XCTAssertTrue(access.canAnswerDispute(s0, agent: a1))
        XCTAssertFalse(access.canAnswerDispute(s1, agent: a2))
        XCTAssertFalse(access.canAnswerDispute(a1, agent: a1))
        XCTAssertTrue(access.canSeeAppraisal(h1, of: a2))
        XCTAssertFalse(access.canSeeAppraisal(q1, of: a2))
        XCTAssertTrue(access.canRateAsSupervisor(s1, a1))
        XCTAssertFalse(access.canRateAsSupervisor(s0, a1), "supervisor ratings come from the direct lead")
    }

    func testWhoScoresSessionsAndWhoActsOnTheWholeMonth() {
        let access = Access(roster: roster)
        let (a1, a2, s1, s0, q1, h1) = (employee("A1"), employee("A2"), employee("S1"), employee("S0"), employee("Q1"), employee("H1"))
        XCTAssertTrue(access.canInspect(q1, agent: a1))
        XCTAssertTrue(access.canInspect(s1, agent: a1), "a lead scores their people's sessions")
        XCTAssertFalse(access.canInspect(s1, agent: a2), "not another team's")
        XCTAssertFalse(access.canInspect(a1, agent: a1))
        XCTAssertFalse(access.canInspect(q1, agent: q1), "nobody scores their own session")
        XCTAssertFalse(access.canInspect(h1, agent: a1))

        // The broken X1/X2 chain is under nobody: with it on the roster nobody is the center's lead (the
        // head must be above every active supervisor too); without it, S0 is.
        XCTAssertFalse(access.leadsEveryAgent(s0), "X1 and X2 are not under S0")
        let center = Access(roster: roster.filter { !["X1", "X2"].contains($0.employeeID) })
        XCTAssertTrue(center.leadsEveryAgent(s0), "the center head is above A1, A2, S1 and S2")
        XCTAssertFalse(center.leadsEveryAgent(s1), "a team lead is above A1 only")
        XCTAssertTrue(center.canManageAppraisals(s0))
        XCTAssertFalse(center.canManageAppraisals(s1))
        XCTAssertTrue(center.canDownloadWorkbook(s0, finalized: false), "the center head takes a DRAFT")
        XCTAssertFalse(access.canDownloadWorkbook(s1, finalized: true))
        XCTAssertTrue(access.canDownloadWorkbook(h1, finalized: true))
        XCTAssertFalse(access.canDownloadWorkbook(h1, finalized: false), "HR imports final workbooks only")
        XCTAssertFalse(access.canDownloadWorkbook(q1, finalized: true))
        XCTAssertFalse(access.canDownloadWorkbook(a1, finalized: true))

        // An inactive agent outside the head's chain does not stop the head; no active agent at all does.
        let withLeaver = Access(roster: roster.filter { !["X1", "X2"].contains($0.employeeID) } + [Employee(employeeID: "A7", name: "离职", team: "?", role: .agent, active: false)])
        XCTAssertTrue(withLeaver.leadsEveryAgent(s0))
        XCTAssertFalse(Access(roster: [s0]).leadsEveryAgent(s0))

        // Team 二组's only agent has left: S1 is above every active agent (A1) but not above S2, so S1 is
        // still a team lead, not the center's lead; S0 still is.
        let a2Left = Employee(employeeID: "A2", name: "李娜", team: "二组", role: .agent, supervisorID: "S2", active: false)
        let oneTeamActive = Access(roster: roster.filter { !["A2", "X1", "X2"].contains($0.employeeID) } + [a2Left])
        XCTAssertFalse(oneTeamActive.leadsEveryAgent(s1))
        XCTAssertFalse(oneTeamActive.canManageAppraisals(s1))
        XCTAssertFalse(oneTeamActive.canDownloadWorkbook(s1, finalized: true))
        XCTAssertTrue(oneTeamActive.leadsEveryAgent(s0))
        // A center with a single team and no head above its lead: that lead is the center's lead.
        let s1Alone = Employee(employeeID: "S1", name: "组长", team: "一组", role: .supervisor)
        XCTAssertTrue(Access(roster: [s1Alone, a1]).leadsEveryAgent(s1Alone))
        // An inactive head is nobody's lead.
        let s0Left = Employee(employeeID: "S0", name: "主任", team: "中心", role: .supervisor, active: false)
        XCTAssertFalse(Access(roster: [s0Left, employee("S1"), a1]).leadsEveryAgent(s0Left))
    }
}

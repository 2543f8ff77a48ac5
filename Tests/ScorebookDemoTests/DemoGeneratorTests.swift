import Foundation
import ScorebookCore
import XCTest
@testable import ScorebookDemo

/// Seconds since the month's start of `2026-10-03T09:15:27+08:00`-style text (same month assumed).
private func seconds(_ text: String) -> Int {
    let u = Array(text.utf8)
    func n(_ a: Int, _ b: Int) -> Int { Int(String(decoding: u[a..<b], as: UTF8.self))! }
    return n(8, 10) * 86400 + n(11, 13) * 3600 + n(14, 16) * 60 + n(17, 19)
}

private func containsHan(_ text: String) -> Bool {
    text.unicodeScalars.contains { (0x4E00...0x9FFF).contains($0.value) }
}

final class DemoGeneratorTests: XCTestCase {
    static let generator = try! DemoGenerator()
    static let records: [DemoRecord] = Array(generator.sessions())

    func testSameSeedSameOutputDifferentSeedDifferent() throws {
        let a = try DemoGenerator(seed: 7, period: "2026-10", sessions: 300)
        let b = try DemoGenerator(seed: 7, period: "2026-10", sessions: 300)
        let c = try DemoGenerator(seed: 8, period: "2026-10", sessions: 300)
        XCTAssertEqual(a.roster, b.roster)
        XCTAssertEqual(Array(a.sessions()), Array(b.sessions()))
        XCTAssertEqual(a.ratings(), b.ratings())
        let linesA = a.sessions().map { DemoFormat.jsonLine($0.session, turns: $0.turns) }
        let linesB = b.sessions().map { DemoFormat.jsonLine($0.session, turns: $0.turns) }
        XCTAssertEqual(linesA, linesB)
        XCTAssertNotEqual(a.roster.map(\.name), c.roster.map(\.name))
        XCTAssertNotEqual(linesA, c.sessions().map { DemoFormat.jsonLine($0.session, turns: $0.turns) })
        XCTAssertNotEqual(a.ratings(), c.ratings())
    }

    /// Golden values of the default seed: the output must be identical on every run and machine (and in
    /// debug and release builds). A deliberate change to the generator updates these values.
    func testGoldenOutputOfDefaultSeed() {
        let g = Self.generator
        XCTAssertEqual(g.roster.prefix(3).map(\.name), ["付梓萱", "李国庆", "向立新"])
        let first = g.session(at: 0)
        XCTAssertEqual(DemoFormat.sessionLine(first.session),
                       "202610-0000001,E1004,video,2026-10-04T17:52:53+08:00,2026-10-04T17:54:36+08:00,44,3,225,1,0,5")
        XCTAssertEqual(first.turns.count, 13)
        XCTAssertEqual(first.turns[1].text, "我想预约去网点换点外币。")
        var h: UInt64 = 0
        for record in g.sessions(count: 1000) {
            h ^= SeededRandom.stableHash(DemoFormat.jsonLine(record.session, turns: record.turns)) &* 31
            h = h &* 1_099_511_628_211
        }
        XCTAssertEqual(String(h, radix: 16), "e628d682473d9148")
    }

    func testRoster() {
        let g = Self.generator
        let roster = g.roster
        XCTAssertEqual(roster.first?.employeeID, "E1001")
        XCTAssertEqual(Set(roster.map(\.employeeID)).count, roster.count)
        XCTAssertEqual(Set(roster.map(\.name)).count, roster.count)
        let agents = roster.filter { $0.role == .agent }
        XCTAssertEqual(agents.count, 40)
        XCTAssertEqual(agents.filter { !$0.active }.count, 2)
        XCTAssertEqual(roster.filter { $0.role == .supervisor }.count, 5)  // 主管 + 4 组长
        XCTAssertEqual(roster.filter { $0.role == .inspector }.count, 3)
        XCTAssertEqual(roster.filter { $0.role == .hr }.count, 1)
        XCTAssertEqual(Set(agents.map(\.team)), ["视频客服一组", "视频客服二组", "电话客服组", "在线客服组"])
        let ids = Set(roster.map(\.employeeID))
        for employee in roster {
            XCTAssertTrue(employee.employeeID.hasPrefix("E"))
            XCTAssertTrue(containsHan(employee.name))
            XCTAssertTrue((2...3).contains(employee.name.count), employee.name)
            if let supervisor = employee.supervisorID { XCTAssertTrue(ids.contains(supervisor)) }
        }
        for agent in agents {
            let lead = roster.first { $0.employeeID == agent.supervisorID }
            XCTAssertEqual(lead?.role, .supervisor)
            XCTAssertEqual(lead?.team, agent.team)
            XCTAssertEqual(g.teamLeads[agent.team], lead?.employeeID)
        }
        XCTAssertTrue(g.agents.allSatisfy { (0.30...0.95).contains($0.skill) })
        XCTAssertGreaterThan(Set(g.agents.map(\.skill)).count, 10)
    }

    func testSessionInvariants() {
        let g = Self.generator
        let records = Self.records
        XCTAssertEqual(records.count, 4000)
        let activeAgents = Set(g.roster.filter { $0.role == .agent && $0.active }.map(\.employeeID))
        XCTAssertEqual(Set(records.map(\.session.sessionID)).count, 4000)
        XCTAssertEqual(records[0].session.sessionID, "202610-0000001")
        var channels: [Channel: Int] = [:]
        for record in records {
            let s = record.session
            XCTAssertTrue(activeAgents.contains(s.agentID), s.agentID)
            XCTAssertEqual(s.period, "2026-10")
            XCTAssertTrue(s.startedAt.hasSuffix("+08:00"))
            XCTAssertEqual(s.startedAt.utf8.count, 25)
            let start = seconds(s.startedAt), end = seconds(s.endedAt)
            XCTAssertLessThan(start, end)
            XCTAssertGreaterThanOrEqual(s.handleSeconds!, Double(end - start) + 30, "handle = talk + after-call work ≥ 30 s")
            let hour = (start % 86400) / 3600
            XCTAssertTrue((8..<20).contains(hour), s.startedAt)
            XCTAssertTrue((30.0...2400.0).contains(s.handleSeconds!), "\(s.handleSeconds!)")
            XCTAssertTrue((1.0...300.0).contains(s.waitSeconds!))
            XCTAssertNotNil(s.firstResponseSeconds)
            if let csat = s.csat { XCTAssertTrue((1...5).contains(csat)) }
            channels[s.channel, default: 0] += 1

            let turns = record.turns
            XCTAssertTrue((10...30).contains(turns.count), "\(turns.count) turns")
            XCTAssertEqual(turns.first?.speaker, .agent)
            XCTAssertEqual(turns.first { $0.speaker == .agent }?.at, s.firstResponseSeconds)
            for (previous, turn) in zip(turns, turns.dropFirst()) { XCTAssertLessThan(previous.at, turn.at) }
            for turn in turns {
                XCTAssertLessThan(turn.at, turn.end!)
                XCTAssertLessThanOrEqual(turn.end!, s.handleSeconds!)
                XCTAssertTrue(containsHan(turn.text))
                // 190–340 characters a minute; very short turns last at least 1.5 s.
                let rate = Double(turn.text.unicodeScalars.count) * 60 / (turn.end! - turn.at)
                XCTAssertLessThan(rate, 360, turn.text)
            }
        }
        XCTAssertEqual(Set(channels.keys), Set(Channel.allCases))
        let n = Double(records.count)
        let resolved = Double(records.filter { $0.session.resolved == true }.count) / n
        let transferred = Double(records.filter { $0.session.transferred == true }.count) / n
        let surveyed = records.compactMap(\.session.csat)
        XCTAssertEqual(resolved, 0.8, accuracy: 0.06)
        XCTAssertEqual(transferred, 0.08, accuracy: 0.04)
        XCTAssertEqual(Double(surveyed.count) / n, 0.4, accuracy: 0.04)
        let mean = Double(surveyed.reduce(0, +)) / Double(surveyed.count)
        XCTAssertGreaterThan(mean, 3.8)
        XCTAssertGreaterThan(Double(surveyed.filter { $0 >= 4 }.count) / Double(surveyed.count), 0.6)
    }

    func testTranscriptContent() {
        let records = Self.records
        let n = Double(records.count)
        func share(_ predicate: (DemoRecord) -> Bool) -> Double { Double(records.filter(predicate).count) / n }
        func agentSays(_ r: DemoRecord, _ phrase: String) -> Bool {
            r.turns.contains { $0.speaker == .agent && $0.text.contains(phrase) }
        }
        // Greeting with 工号 in the first seconds most of the time, sometimes late or missing.
        let voice = records.filter { $0.session.channel != .chat }
        let greetedEarly = Double(voice.filter { r in r.turns.contains { $0.speaker == .agent && $0.text.contains("工号") && $0.at <= 5 } }.count)
            / Double(voice.count)
        XCTAssertGreaterThan(greetedEarly, 0.75)
        XCTAssertLessThan(greetedEarly, 0.99)
        XCTAssertGreaterThan(share { !agentSays($0, "工号") }, 0.005)
        // Closing, polite words.
        XCTAssertGreaterThan(share { agentSays($0, "请问还有其他可以帮您的吗") }, 0.85)
        XCTAssertGreaterThan(share { agentSays($0, "再见") }, 0.85)
        // Risk disclosure mostly given when a product is named, sometimes missing.
        let products = records.filter { $0.topic == "理财产品" || $0.topic == "基金定投" }
        let disclosed = products.filter { agentSays($0, "理财非存款，产品有风险，投资须谨慎") }.count
        XCTAssertGreaterThan(products.count, 400)
        XCTAssertGreaterThan(Double(disclosed) / Double(products.count), 0.85)
        XCTAssertLessThan(disclosed, products.count)
        // Identity verification before account matters (mostly).
        let account = records.filter { ["账户查询", "挂失", "转账限额", "信用卡账单", "手机银行"].contains($0.topic) }
        XCTAssertGreaterThan(Double(account.filter { agentSays($0, "身份") }.count) / Double(account.count), 0.9)
        // Forbidden phrases occasionally, and from weaker agents.
        let forbidden = records.filter { r in ["不归我管", "听不懂吗", "你自己看", "不知道"].contains { agentSays(r, $0) } }
        XCTAssertGreaterThan(forbidden.count, 5)
        XCTAssertLessThan(Double(forbidden.count) / n, 0.05)
        let g = Self.generator
        let forbiddenSkill = forbidden.map { g.skill(of: $0.session.agentID)! }.reduce(0, +) / Double(forbidden.count)
        let allSkill = records.map { g.skill(of: $0.session.agentID)! }.reduce(0, +) / n
        XCTAssertLessThan(forbiddenSkill, allSkill)
        // Interruptions, long silences, full-width characters.
        let interrupted = share { r in zip(r.turns, r.turns.dropFirst()).contains { $0.speaker == .customer && $1.speaker == .agent && $1.at < $0.end! } }
        XCTAssertGreaterThan(interrupted, 0.05)
        let silent = share { r in zip(r.turns, r.turns.dropFirst()).contains { $1.at - $0.end! > 15 } }
        XCTAssertGreaterThan(silent, 0.1)
        XCTAssertGreaterThan(share { r in r.turns.contains { $0.text.unicodeScalars.contains { (0xFF10...0xFF19).contains($0.value) } } }, 0.02)
        // Mean turns per session near 18.
        let meanTurns = Double(records.map(\.turns.count).reduce(0, +)) / n
        XCTAssertTrue((14...22).contains(meanTurns), "\(meanTurns)")
    }

    func testSkillDrivesQuality() {
        let g = Self.generator
        let ranked = g.activeAgents.sorted { $0.skill < $1.skill }
        let low = Set(ranked.prefix(10).map(\.employee.employeeID))
        let high = Set(ranked.suffix(10).map(\.employee.employeeID))
        func meanCSAT(_ ids: Set<String>) -> Double {
            let values = Self.records.filter { ids.contains($0.session.agentID) }.compactMap(\.session.csat)
            return Double(values.reduce(0, +)) / Double(values.count)
        }
        func resolvedRate(_ ids: Set<String>) -> Double {
            let sessions = Self.records.filter { ids.contains($0.session.agentID) }
            return Double(sessions.filter { $0.session.resolved == true }.count) / Double(sessions.count)
        }
        XCTAssertGreaterThan(meanCSAT(high), meanCSAT(low) + 0.3)
        XCTAssertGreaterThan(resolvedRate(high), resolvedRate(low))
        let ratings = g.ratings()
        func meanSupervisor(_ ids: Set<String>) -> Double {
            let r = ratings.filter { $0.source == .supervisor && ids.contains($0.employeeID) }
            return r.map(\.score).reduce(0, +) / Double(r.count)
        }
        XCTAssertGreaterThan(meanSupervisor(high), meanSupervisor(low) + 0.5)
    }

    func testRatings() {
        let g = Self.generator
        let ratings = g.ratings()
        let roster = Dictionary(uniqueKeysWithValues: g.roster.map { ($0.employeeID, $0) })
        let active = g.activeAgents.map(\.employee.employeeID)
        var surveyIDs = Set<String>()
        var keys = Set<String>()
        for r in ratings {
            XCTAssertEqual(r.period, "2026-10")
            XCTAssertTrue((1...5).contains(r.score) && r.score == r.score.rounded())
            XCTAssertTrue(keys.insert("\(r.employeeID)|\(r.source)|\(r.raterID)|\(r.criterion)").inserted, "duplicate")
            let ratee = roster[r.employeeID]!
            XCTAssertEqual(ratee.role, .agent)
            XCTAssertTrue(ratee.active)
            switch r.source {
            case .self: XCTAssertEqual(r.raterID, r.employeeID)
            case .supervisor: XCTAssertEqual(r.raterID, ratee.supervisorID)
            case .peer:
                XCTAssertNotEqual(r.raterID, r.employeeID)
                XCTAssertEqual(roster[r.raterID]?.team, ratee.team)
                XCTAssertEqual(roster[r.raterID]?.role, .agent)
            case .customer:
                XCTAssertTrue(r.raterID.hasPrefix("S-202610-"))
                XCTAssertTrue(surveyIDs.insert(r.raterID).inserted)
            }
        }
        for id in active {
            let mine = ratings.filter { $0.employeeID == id }
            XCTAssertEqual(mine.filter { $0.source == .self }.count, 3)
            XCTAssertEqual(mine.filter { $0.source == .supervisor }.count, 3)
            let peers = Set(mine.filter { $0.source == .peer }.map(\.raterID))
            XCTAssertTrue((3...6).contains(peers.count), "\(peers.count) peers")
            XCTAssertTrue((3...8).contains(mine.filter { $0.source == .customer }.count))
            XCTAssertEqual(Set(mine.filter { $0.source != .customer }.map(\.criterion)), ["服务态度", "业务能力", "团队协作"])
        }
    }

    func testManualAnswersAreValidAndSpread() throws {
        let rubric = Rubric(id: "video-service", version: 1, name: "视频客服质检表", sections: [
            RubricSection(id: "compliance", name: "合规性", dimension: .compliance, weight: 40, items: [
                RubricItem(id: "identity_check", text: "办理账户业务前核实客户身份", type: .yesNo, points: 10, allowsNA: true, critical: .section),
                RubricItem(id: "risk_disclosure", text: "推介产品时进行风险提示", type: .yesNo, points: 10, allowsNA: true, critical: .form),
                RubricItem(id: "no_leak", text: "未泄露客户信息", type: .yesNo, points: 10, critical: .form),
            ]),
            RubricSection(id: "accuracy", name: "准确性", dimension: .accuracy, weight: 35, items: [
                RubricItem(id: "answer_accurate", text: "解答准确完整", type: .scale, points: 10, levels: [0, 5, 8, 10]),
                RubricItem(id: "ticket", text: "无法解答时记录工单并承诺回复时间", type: .yesNo, points: 5, allowsNA: true),
                RubricItem(id: "reminders", text: "无遗漏必要提醒", type: .scale, points: 6, levels: [0, 3, 6], allowsNA: true),
            ]),
            RubricSection(id: "etiquette", name: "服务礼仪", dimension: .etiquette, weight: 25, items: [
                RubricItem(id: "greeting", text: "5秒内问候并报工号", type: .yesNo, points: 5),
                RubricItem(id: "polite_words", text: "使用礼貌用语", type: .scale, points: 5, levels: [0, 3, 5]),
                RubricItem(id: "forbidden_phrases", text: "不得使用服务禁语", type: .deduction, points: 10, per: 5, critical: .form),
                RubricItem(id: "interrupt", text: "不打断客户讲话", type: .deduction, points: 6, per: 2),
                RubricItem(id: "closing", text: "结束前询问是否还有其他需要并致谢", type: .yesNo, points: 5),
                RubricItem(id: "silence", text: "无长时间沉默", type: .yesNo, points: 4, allowsNA: true),
            ]),
        ])
        let g = Self.generator
        var rng = SeededRandom(seed: 123)
        var scores: [Double] = []
        var critical = 0
        var riskFailures = 0, riskNA = 0
        let sample = Self.records.prefix(600)
        for record in sample {
            let answers = g.manualAnswers(for: rubric, session: record.session, turns: record.turns, rng: &rng)
            XCTAssertNoThrow(try InspectionScoring.validate(rubric, answers: answers))
            XCTAssertEqual(Set(answers.keys), Set(rubric.items.map(\.id)))
            let score = InspectionScoring.score(rubric, answers: answers)
            scores.append(score.score!)
            if score.criticalFailed { critical += 1 }
            let disclosed = record.turns.contains { $0.speaker == .agent && $0.text.contains("投资须谨慎") }
            switch answers["risk_disclosure"] {
            case .na?: riskNA += 1
            case .no?:
                riskFailures += 1
                XCTAssertFalse(disclosed)
            default: break
            }
            if record.turns.contains(where: { $0.speaker == .agent && $0.text.contains("不归我管") }) {
                XCTAssertNotEqual(answers["forbidden_phrases"], .number(0))
            }
        }
        XCTAssertGreaterThan(riskNA, 300)  // most sessions name no product
        XCTAssertGreaterThan(riskFailures, 0)
        XCTAssertGreaterThan(critical, 0)
        XCTAssertLessThan(critical, 60)  // a few red lines per few hundred, not a flood
        let nonZero = scores.filter { $0 > 0 }
        let mean = nonZero.reduce(0, +) / Double(nonZero.count)
        XCTAssertTrue((75...97).contains(mean), "\(mean)")
        XCTAssertLessThan(nonZero.min()!, 75)
        XCTAssertEqual(nonZero.max()!, 100, accuracy: 1e-9)
        // Same rng seed → same answers.
        var r1 = SeededRandom(seed: 5), r2 = SeededRandom(seed: 5)
        let rec = Self.records[10]
        XCTAssertEqual(g.manualAnswers(for: rubric, session: rec.session, turns: rec.turns, rng: &r1),
                       g.manualAnswers(for: rubric, session: rec.session, turns: rec.turns, rng: &r2))
    }

    func testStreamingYieldsExactlyNAndMatchesRandomAccess() throws {
        let g = try DemoGenerator(seed: 3, period: "2024-02", sessions: 10)
        var count = 0
        var iterator = g.sessions(count: 5_000).makeIterator()
        var last: DemoRecord?
        while let record = iterator.next() {
            count += 1
            last = record
            if count == 1234 { XCTAssertEqual(record, g.session(at: 1233)) }
        }
        XCTAssertEqual(count, 5_000)
        XCTAssertEqual(last?.session.sessionID, "202402-0005000")
        XCTAssertNil(iterator.next())
        XCTAssertEqual(Array(g.sessions()).count, 10)
        // Leap February: days up to 29.
        let days = Set(g.sessions(count: 2000).map { String($0.session.startedAt.dropFirst(8).prefix(2)) })
        XCTAssertTrue(days.contains("29"))
        XCTAssertFalse(days.contains("30"))
        XCTAssertThrowsError(try DemoGenerator(period: "2026-13"))
        XCTAssertThrowsError(try DemoGenerator(period: "2026/10"))
    }
}

final class DemoFormatTests: XCTestCase {
    func testNumbers() {
        XCTAssertEqual(DemoFormat.number(12), "12")
        XCTAssertEqual(DemoFormat.number(2.5), "2.5")
        XCTAssertEqual(DemoFormat.number(0.25), "0.25")
        XCTAssertEqual(DemoFormat.number(0.05), "0.05")
        XCTAssertEqual(DemoFormat.number(-3.1), "-3.1")
        XCTAssertEqual(DemoFormat.number(1e-7), "0")
        XCTAssertEqual(DemoFormat.number(123456789), "123456789")
        XCTAssertEqual(DemoFormat.number(2.999), "3")
        XCTAssertEqual(DemoFormat.tenths(4), "4.0")
        XCTAssertEqual(DemoFormat.tenths(1.5), "1.5")
        XCTAssertEqual(DemoFormat.tenths(123.4), "123.4")
    }

    func testCSVLines() {
        XCTAssertEqual(DemoFormat.csv("王芳"), "王芳")
        XCTAssertEqual(DemoFormat.csv("a,b"), "\"a,b\"")
        XCTAssertEqual(DemoFormat.csv("说\"你好\""), "\"说\"\"你好\"\"\"")
        XCTAssertEqual(DemoFormat.csv("两\n行"), "\"两\n行\"")
        let e = Employee(employeeID: "E1002", name: "李娜", team: "视频客服一组", role: .supervisor, supervisorID: "E1001")
        XCTAssertEqual(DemoFormat.rosterLine(e), "E1002,李娜,视频客服一组,supervisor,E1001,1")
        let hr = Employee(employeeID: "E1050", name: "赵敏", team: "人力资源部, 总部", role: .hr, active: false)
        XCTAssertEqual(DemoFormat.rosterLine(hr), "E1050,赵敏,\"人力资源部, 总部\",hr,,0")
        let s = Session(sessionID: "202610-0000001", agentID: "E1010", channel: .video,
                        startedAt: "2026-10-03T09:15:27+08:00", endedAt: "2026-10-03T09:20:01+08:00",
                        waitSeconds: 12, firstResponseSeconds: 1.5, handleSeconds: 274, resolved: true,
                        transferred: false, csat: nil)
        XCTAssertEqual(DemoFormat.sessionLine(s),
                       "202610-0000001,E1010,video,2026-10-03T09:15:27+08:00,2026-10-03T09:20:01+08:00,12,1.5,274,1,0,")
        XCTAssertEqual(DemoFormat.sessionsHeader.split(separator: ",").count, DemoFormat.sessionLine(s).split(separator: ",", omittingEmptySubsequences: false).count)
        let r = Rating(period: "2026-10", employeeID: "E1010", source: .customer, raterID: "S-202610-00001",
                       criterion: "服务满意度", score: 5)
        XCTAssertEqual(DemoFormat.ratingLine(r), "2026-10,E1010,customer,S-202610-00001,服务满意度,5")
    }

    func testJSONLine() throws {
        let s = Session(sessionID: "202610-0000002", agentID: "E1011", channel: .phone,
                        startedAt: "2026-10-04T10:00:00+08:00", endedAt: "2026-10-04T10:03:00+08:00",
                        waitSeconds: 3, firstResponseSeconds: 2, handleSeconds: 180, resolved: false,
                        transferred: true, csat: 4)
        let turns = [Turn(at: 1.5, end: 4, speaker: .agent, text: "您好，这里是视频客服，工号1024"),
                     Turn(at: 5, end: nil, speaker: .customer, text: "他说\"不行\"\\\n换行\u{1}")]
        let line = DemoFormat.jsonLine(s, turns: turns)
        XCTAssertEqual(line, #"{"session_id":"202610-0000002","agent_id":"E1011","channel":"phone","started_at":"2026-10-04T10:00:00+08:00","ended_at":"2026-10-04T10:03:00+08:00","wait_seconds":3,"first_response_seconds":2,"handle_seconds":180,"resolved":0,"transferred":1,"csat":4,"turns":[{"at":1.5,"end":4.0,"speaker":"agent","text":"您好，这里是视频客服，工号1024"},{"at":5.0,"speaker":"customer","text":"他说\"不行\"\\\n换行\u0001"}]}"#)
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
        let parsedTurns = object["turns"] as! [[String: Any]]
        XCTAssertEqual(parsedTurns[1]["text"] as? String, turns[1].text)
        XCTAssertEqual(object["csat"] as? Int, 4)
        let nilCSAT = Session(sessionID: "x", agentID: "E1", channel: .chat, startedAt: "a", endedAt: "b")
        XCTAssertTrue(DemoFormat.jsonLine(nilCSAT, turns: []).hasSuffix(#""wait_seconds":null,"first_response_seconds":null,"handle_seconds":null,"resolved":null,"transferred":null,"csat":null,"turns":[]}"#))
    }

    func testGeneratedLinesParse() throws {
        let g = try DemoGenerator(seed: 11, sessions: 50)
        for record in g.sessions() {
            let line = DemoFormat.jsonLine(record.session, turns: record.turns)
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            XCTAssertEqual(object["session_id"] as? String, record.session.sessionID)
            XCTAssertEqual((object["turns"] as! [Any]).count, record.turns.count)
            XCTAssertEqual(DemoFormat.sessionLine(record.session).split(separator: ",", omittingEmptySubsequences: false).count, 11)
        }
        for employee in g.roster {
            XCTAssertEqual(DemoFormat.rosterLine(employee).split(separator: ",", omittingEmptySubsequences: false).count, 6)
        }
    }
}

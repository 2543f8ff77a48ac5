import ArgumentParser
import Foundation
import ScorebookCore
import ScorebookReports
import ScorebookDemo
import ScorebookImport
import ScorebookStore

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a realistic synthetic month in a fresh database and run the whole pipeline on it.",
        discussion: """
        Writes the input files (roster, sessions with transcripts, ratings) into the demo folder, imports them, \
        runs full-coverage automatic inspection, draws a sample and records the inspectors' manual \
        inspections, appraises the month, writes the HR workbook, and prints a per-team summary. \
        Default database: ./demo/scorebook.db (its outputs beside it); an existing one is replaced only with --force.
        """)

    @Option(help: "Database file (default ./demo/scorebook.db; the demo's files are written beside it).") var db: String?
    @Option(help: "Period YYYY-MM.") var period: String = "2026-10"
    @Option(help: "Seed of the synthetic data.") var seed: UInt64 = DemoConfiguration.defaultSeed
    @Option(help: "Number of sessions.") var sessions: Int = 4000
    @Option(name: .customLong("per-agent"), help: "Sessions per agent drawn for manual inspection.") var perAgent: Int = 8
    @Flag(help: "Replace an existing demo database (only one the demo made) and its files.") var force = false

    /// SQLite's `application_id` of a database the demo made: `--force` replaces only such a file, never a
    /// real one (with its audit log) that happens to be at the path.
    static let applicationID: Int32 = 0x5342_444D // "SBDM"

    func run() throws {
        _ = try checkPeriod(period)
        let path = db ?? "demo/scorebook.db"
        let folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        let fm = FileManager.default
        if fm.fileExists(atPath: path) {
            guard force else { throw CLIError("\(path) exists: pass --force to replace it") }
            guard try Self.isDemoDatabase(path) else {
                throw CLIError("\(path) was not made by `scorebook demo`: --force replaces only a demo database (remove the file yourself if you mean to)")
            }
            for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: path + suffix) }
        } else {
            // the input files are written beside the database: never over someone's own files
            for name in DemoFiles.names where fm.fileExists(atPath: (folder as NSString).appendingPathComponent(name)) {
                throw CLIError("\((folder as NSString).appendingPathComponent(name)) exists: the demo writes its input files (\(DemoFiles.names.joined(separator: ", "))) beside the database; give --db a path in a folder of its own")
            }
        }
        let actor = "demo"
        let generator = try DemoGenerator(seed: seed, period: period, sessions: sessions)

        print("writing input files to \(folder)/")
        let files = try DemoFiles.write(generator, sessions: sessions, to: folder)
        let store = try Store(path: path)
        try store.setApplicationID(Self.applicationID)
        for line in try Setup.addBundledDefinitions(store) { print("  \(line)") }
        let roster = try RosterImporter.importFile(files[0], into: store)
        print("  \(roster.description)")
        let imported = try SessionImporter.importFile(files[2], into: store)
        print("  \(imported.description)")
        let scheme = try SchemeChoice.resolve(nil, kind: .monthly, db: store, storeIt: true)
        let ratings = try RatingsImporter.importFile(files[3], into: store, scales: SchemeChoice.ratingScales(scheme), actor: actor)
        print("  \(ratings.description)")

        let rubric = try store.read { db in try Rubrics.require(db, id: "video-service") }.rubric
        let auto = try AutoInspections.run(store, rubric: rubric, period: period, rescore: false, actor: actor)
        print("  automatic inspection of every session: \(auto.scored) sessions, \(auto.findings) findings")

        // Manual inspections: a seeded sample of each agent's sessions, spread over the inspectors, answered
        // the way the generator's inspectors would (correlated with skill and with the transcript).
        let drawn = try store.write { db -> SampleResult in
            let plan = SamplingPlan(size: .perAgent(perAgent), stratifyByChannel: true, targetedShare: 0.25, seed: seed,
                                    inspectors: generator.inspectorIDs)
            let result = try Assignments.draw(db, period: period, rubricID: rubric.id, longHandleSeconds: 900, plan: plan)
            try Assignments.save(db, period: period, rubricID: rubric.id, result.assignments)
            return result
        }
        var rng = SeededRandom(seed: seed, stream: 7)
        try store.write { db in
            for assignment in drawn.assignments {
                guard let session = try Sessions.find(db, assignment.sessionID), let inspector = assignment.inspectorID else { continue }
                let turns = try Sessions.turns(db, session.sessionID) ?? []
                let answers = generator.manualAnswers(for: rubric, session: session, turns: turns, rng: &rng)
                try Inspections.saveManual(db, ManualInspection(sessionID: session.sessionID, rubricID: rubric.id,
                                                                inspectorID: inspector, answers: answers, submit: true),
                                           actor: inspector)
            }
        }
        print("  sampled \(drawn.assignments.count) sessions (\(perAgent) per agent) and recorded their manual inspections")

        let results = try Appraising.run(store, key: period, kind: .monthly, scheme: scheme, actor: actor)
        print("  \(Appraising.summary(results, key: period, scheme: scheme))")

        // The HR workbook. The demo's period is left open (so it can be re-appraised and explored), hence a
        // DRAFT workbook; `scorebook finalize` then `scorebook export` give the final one.
        let workbookPath = (folder as NSString).appendingPathComponent("appraisal-\(period)-DRAFT.xlsx")
        let workbook = try HRWorkbook.write(store, HRWorkbook.Request(key: period, kind: .monthly, draft: true, out: workbookPath))

        print("")
        try DemoSummary.listing(store, period: period).print(.table)
        print("")
        print("database: \(path)")
        print("HR workbook (DRAFT: \(period) is not finalized): \(workbook.path)")
        print("try: scorebook inspections --db \(path) --period \(period)")
        print("     scorebook appraisals --db \(path) --period \(period)")
        if let first = results.first(where: { $0.grade != nil }) {
            print("     scorebook explain --db \(path) --agent \(first.employeeID) --period \(period)")
        }
        print("     scorebook finalize --db \(path) --period \(period) && scorebook export --db \(path) --period \(period) --out \(folder)/appraisal-\(period).xlsx")
    }
}

extension DemoCommand {
    static func isDemoDatabase(_ path: String) throws -> Bool {
        // looked at read-only first: opening another program's file would switch it to WAL
        guard Store.fileKind(at: path) == .scorebook else { return false }
        return try Store(path: path, migrate: false).applicationID == applicationID
    }
}

/// Per-team summary of a period: agents, sessions, inspections, red lines, the mean qa component and final
/// score of the team's appraisals (unrounded, as the workbook's Team Summary), grades.
enum DemoSummary {
    static func listing(_ store: Store, period: String) throws -> Listing {
        try store.read { db in
            var listing = Listing(columns: ["team", "agents", "sessions", "manual", "auto", "red_lines", "mean_qa",
                                            "mean_final", "A", "B", "C", "D"])
            for team in try TeamSummaries.of(db, period: period) {
                listing.append([.text(team.team), .int(team.agents), .int(team.sessions), .int(team.manualInspections),
                                .int(team.autoInspections), .int(team.redLines), .optional(team.meanQA), .optional(team.meanFinal)]
                               + ["A", "B", "C", "D"].map { .int(team.grades[$0] ?? 0) })
            }
            return listing
        }
    }
}

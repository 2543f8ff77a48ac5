import ArgumentParser
import Foundation
import ScorebookCore
import ScorebookDemo

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a synthetic period as input files (roster.csv, sessions.csv, sessions.jsonl, ratings.csv).",
        discussion: "Seedable: the same seed writes the same files. Streams, so a million sessions need little memory.")

    @Option(help: "Number of sessions.") var sessions: Int = 4000
    @Option(help: "Period YYYY-MM.") var period: String = "2026-10"
    @Option(help: "Seed.") var seed: UInt64 = DemoConfiguration.defaultSeed
    @Option(help: "Output folder.") var out: String = "."

    func run() throws {
        _ = try checkPeriod(period)
        let generator = try DemoGenerator(seed: seed, period: period, sessions: sessions)
        let files = try DemoFiles.write(generator, sessions: sessions, to: out)
        for file in files { print(file) }
    }
}

/// Writes the generator's data in the input formats of DESIGN.md, streaming sessions through a buffer.
enum DemoFiles {
    static let names = ["roster.csv", "sessions.csv", "sessions.jsonl", "ratings.csv"]

    static func write(_ generator: DemoGenerator, sessions: Int, to folder: String) throws -> [String] {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let roster = (folder as NSString).appendingPathComponent("roster.csv")
        let csv = (folder as NSString).appendingPathComponent("sessions.csv")
        let jsonl = (folder as NSString).appendingPathComponent("sessions.jsonl")
        let ratings = (folder as NSString).appendingPathComponent("ratings.csv")

        try ([DemoFormat.rosterHeader] + generator.roster.map(DemoFormat.rosterLine)).joined(separator: "\n")
            .appending("\n").write(toFile: roster, atomically: true, encoding: .utf8)
        try ([DemoFormat.ratingsHeader] + generator.ratings().map(DemoFormat.ratingLine)).joined(separator: "\n")
            .appending("\n").write(toFile: ratings, atomically: true, encoding: .utf8)

        let csvOut = try BufferedFile(csv)
        let jsonOut = try BufferedFile(jsonl)
        csvOut.append(DemoFormat.sessionsHeader + "\n")
        var line: [UInt8] = []
        for record in generator.sessions(count: sessions) {
            csvOut.append(DemoFormat.sessionLine(record.session) + "\n")
            line.removeAll(keepingCapacity: true)
            DemoFormat.appendJSONLine(record.session, turns: record.turns, to: &line)
            line.append(10)
            jsonOut.append(line)
        }
        try csvOut.close()
        try jsonOut.close()
        return [roster, csv, jsonl, ratings]
    }
}

/// An output file written through a 1 MiB buffer.
final class BufferedFile {
    private let handle: FileHandle
    private var buffer: [UInt8] = []

    init(_ path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw CLIError("\(path): cannot create the file")
        }
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
    }

    func append(_ text: String) { buffer.append(contentsOf: text.utf8); flushIfFull() }
    func append(_ bytes: [UInt8]) { buffer.append(contentsOf: bytes); flushIfFull() }

    private func flushIfFull() {
        if buffer.count >= 1 << 20 { handle.write(Data(buffer)); buffer.removeAll(keepingCapacity: true) }
    }

    func close() throws {
        handle.write(Data(buffer))
        buffer.removeAll()
        try handle.close()
    }
}

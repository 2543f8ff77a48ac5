import ArgumentParser
import ScorebookCore
import ScorebookStore

struct RubricCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rubric",
        abstract: "Check, store, list and show rubrics (inspection forms).",
        subcommands: [Check.self, Add.self, List.self, Show.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate rubric YAML files; exits non-zero if any is malformed.")
        @Argument(help: "Rubric files.") var files: [String]

        func run() throws {
            try checkDefinitionFiles(files) { text, file in
                let rubric = try RubricParser.parse(text, file: file)
                let auto = rubric.items.filter { $0.auto != nil }.count
                return "\(rubric.id) v\(rubric.version), \(rubric.sections.count) sections, \(rubric.items.count) items (\(auto) automatic)"
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Store a rubric version in the database.")
        @OptionGroup var store: StoreOptions
        @Argument(help: "The rubric file.") var file: String

        func run() throws {
            let text = try readTextFile(file)
            let rubric = try RubricParser.parse(text, file: file)
            let outcome = try store.open().write { db in try Rubrics.add(db, rubric, source: text, file: file) }
            print("rubric \(rubric.id) v\(rubric.version): \(outcome == .added ? "added" : "already stored, unchanged")")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List stored rubric versions.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: FormatOption

        func run() throws {
            var listing = Listing(columns: ["rubric_id", "version", "name", "sections", "items", "auto_items", "added_at"])
            for stored in try store.open().read({ db in try Rubrics.all(db) }) {
                let r = stored.rubric
                listing.append([.text(r.id), .int(r.version), .text(r.name), .int(r.sections.count), .int(r.items.count),
                                .int(r.items.filter { $0.auto != nil }.count), .text(stored.addedAt)])
            }
            listing.print(output.format)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a rubric's sections and items.")
        @OptionGroup var store: StoreOptions
        @OptionGroup var output: FormatOption
        @Argument(help: "Rubric id.") var id: String
        @Option(help: "Version (default: the latest).") var version: Int?

        /// The fewest decimals (at most 6) that show `value` as written (1.12 is 1.1200000000000001 in binary:
        /// compared within a billionth, not exactly).
        static func decimalsNeeded(_ value: Double) -> Int {
            let scales: [Double] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000]
            for (d, scale) in scales.enumerated() {
                let scaled = value * scale
                if abs(scaled - scaled.rounded()) < 1e-9 * max(1, abs(scaled)) { return d }
            }
            return 6
        }

        func run() throws {
            let rubric = try store.open().read { db in try Rubrics.require(db, id: id, version: version) }.rubric
            if output.format == .table {
                print("\(rubric.id) v\(rubric.version) — \(rubric.name)")
            }
            var listing = Listing(columns: ["section", "dimension", "weight", "item", "text", "type", "points",
                                            "levels_or_per", "na", "critical", "auto"])
            // as many decimals as the form's weights and points have (a weight of 12.5 showed as 13)
            let figures: [Double] = rubric.sections.flatMap { [$0.weight] + $0.items.map(\.points) }
            listing.decimals = figures.map(Self.decimalsNeeded).max() ?? 0
            for section in rubric.sections {
                for item in section.items {
                    let detail: String
                    switch item.type {
                    case .yesNo: detail = ""
                    case .scale: detail = item.levels.map { format($0) }.joined(separator: "/")
                    case .deduction:  // points lost per occurrence, by severity where the item has a table
                        detail = item.severityPoints.map { "per light \(format($0.light)) / moderate \(format($0.moderate)) / severe \(format($0.severe))" }
                            ?? "per \(format(item.per))"
                    }
                    listing.append([.text(section.id), .text(section.dimension.rawValue), .number(section.weight),
                                    .text(item.id), .text(item.text), .text(item.type.rawValue), .number(item.points),
                                    .text(detail), .bool(item.allowsNA), .optional(item.critical?.rawValue),
                                    .bool(item.auto != nil)])
                }
            }
            listing.print(output.format)
        }
    }
}

func format(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
}

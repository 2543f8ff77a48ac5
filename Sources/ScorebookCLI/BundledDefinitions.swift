import ArgumentParser
import Foundation

/// The rubric and scheme files of `Rubrics/` and `Reports/`, shipped with the binary as package resources
/// so `scorebook init` and the default scheme work from any folder.
enum BundledDefinitions {
    struct File {
        var name: String
        var text: String
    }

    static func rubrics() throws -> [File] { try files(in: "Rubrics") }
    static func schemes() throws -> [File] { try files(in: "Reports") }

    private static func files(in folder: String) throws -> [File] {
        guard let url = Bundle.module.url(forResource: folder, withExtension: nil) else {
            throw CLIError("the bundled \(folder) folder is missing from this build")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: url.path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .sorted()
        return try names.map { name in
            File(name: "\(folder)/\(name)", text: try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8))
        }
    }
}

/// Reads a text file given on the command line, with a clear message when it cannot.
func readTextFile(_ path: String) throws -> String {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw CLIError("\(path): cannot read the file")
    }
    guard let text = String(data: data, encoding: .utf8) else {
        throw CLIError("\(path): not UTF-8 text")
    }
    return text
}

/// `rubric check` / `scheme check`: parses every file, prints `ok FILE: summary` or the error, and fails
/// if any file is malformed (all files are checked, not just up to the first error).
func checkDefinitionFiles(_ files: [String], summary: (_ text: String, _ file: String) throws -> String) throws {
    var failures = 0
    for file in files {
        do {
            print("ok \(file): \(try summary(try readTextFile(file), file))")
        } catch {
            printError("Error: \(error)")
            failures += 1
        }
    }
    if failures > 0 { throw ExitCode.failure }
}

import CSV
import Foundation
import ScorebookCore

/// Reads a CSV file with a header row through CSV.swift, handing each record to `body` as named fields
/// with the number of the line it starts on (the header is line 1; line breaks inside quoted fields count).
enum CSVTable {
    static func read(path: String, columns required: [String],
                     body: (_ line: Int, _ fields: RecordFields) throws -> Void) throws {
        guard let stream = InputStream(fileAtPath: path), FileManager.default.isReadableFile(atPath: path) else {
            throw ImportFailure(file: path, reason: "cannot open the file")
        }
        let reader: CSVReader
        do {
            reader = try CSVReader(stream: stream, hasHeaderRow: true)
        } catch {
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
            if size == 0 {
                throw ImportFailure(file: path, line: 1, reason: "the file is empty: expected a header row \(required.joined(separator: ","))")
            }
            throw ImportFailure(file: path, line: 1, reason: "cannot read the header row (\(error))")
        }
        guard let header = reader.headerRow?.map({ $0.trimmingCharacters(in: .whitespaces) }), header != [""] else {
            throw ImportFailure(file: path, line: 1, reason: "the file is empty: expected a header row \(required.joined(separator: ","))")
        }
        // a column given twice would be read from one of them silently: refused
        var named = Set<String>()
        for name in header where !name.isEmpty && !named.insert(name).inserted {
            throw ImportFailure(file: path, line: 1, reason: "the header has column '\(name)' twice")
        }
        let missing = required.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw ImportFailure(file: path, line: 1, reason: "header lacks column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")) (expected \(required.joined(separator: ",")))")
        }
        var line = 1
        var nextLine = 2
        while let row = reader.next() {
            line = nextLine
            nextLine += 1 + row.reduce(0) { $0 + Self.lineBreaks($1) }
            if case CSVError.unicodeDecoding? = reader.error {
                throw ImportFailure(file: path, line: line, reason: "not valid UTF-8 text")
            }
            if row.count == 1, row[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard row.count == header.count else {
                // a quote opened and never closed swallows the lines after it into one field
                let swallowed = row.contains { Self.lineBreaks($0) > 0 }
                throw ImportFailure(file: path, line: line, reason: "malformed row: \(row.count) fields, the header has \(header.count)"
                                    + (swallowed ? " — a quoted field runs over several lines: is a quote on this line never closed?" : ""))
            }
            var values: [String: String] = [:]
            values.reserveCapacity(header.count)
            for (name, value) in zip(header, row) { values[name] = value }
            do {
                try body(line, RecordFields(values))
            } catch {
                throw ImportFailure(file: path, line: line, error)
            }
        }
        // CSV.swift reports the end of the stream as `cannotReadFile`; only decoding and stream errors are real.
        switch reader.error {
        case CSVError.unicodeDecoding?:
            throw ImportFailure(file: path, line: nextLine, reason: "not valid UTF-8 text")
        case CSVError.streamErrorHasOccurred(let error)?:
            throw ImportFailure(file: path, line: nextLine, reason: "read error: \(error)")
        default:
            break
        }
    }

    /// Line breaks inside a field (a quoted field may hold some): LF, CR LF, or a lone CR each count once.
    static func lineBreaks(_ field: String) -> Int {
        var count = 0
        var previous: UInt8 = 0
        for byte in field.utf8 {
            if byte == 10 { if previous != 13 { count += 1 } } else if byte == 13 { count += 1 }
            previous = byte
        }
        return count
    }
}

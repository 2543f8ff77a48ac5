import Foundation

/// Reads a file line by line in 1 MiB chunks, so a multi-gigabyte JSONL file streams in constant memory.
final class LineReader {
    private let handle: FileHandle
    private var buffer = [UInt8]()
    private var start = 0
    /// Where the search for the next newline resumes: the bytes from `start` up to here hold none (a long
    /// line read in many chunks is searched once, not once per chunk).
    private var searched = 0
    private var eof = false
    private(set) var lineNumber = 0

    init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportFailure(file: path, reason: "cannot open the file")
        }
        self.handle = handle
    }

    deinit { try? handle.close() }

    /// The next line without its terminator (`\n` or `\r\n`), as raw UTF-8 bytes; nil at the end.
    func next() -> ArraySlice<UInt8>? {
        while true {
            if let newline = buffer[max(start, searched)...].firstIndex(of: 10) {
                var end = newline
                if end > start, buffer[end - 1] == 13 { end -= 1 }
                let line = buffer[start..<end]
                start = newline + 1
                lineNumber += 1
                return line
            }
            if eof {
                guard start < buffer.count else { return nil }
                var line = buffer[start...]
                if line.last == 13 { line = line.dropLast() }
                start = buffer.count
                lineNumber += 1
                return line
            }
            searched = buffer.count
            if start > 0 {
                buffer.removeSubrange(0..<start)
                searched -= start
                start = 0
            }
            let chunk = handle.readData(ofLength: 1 << 20)
            if chunk.isEmpty { eof = true } else { buffer.append(contentsOf: chunk) }
        }
    }
}

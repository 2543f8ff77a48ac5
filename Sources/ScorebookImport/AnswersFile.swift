import Foundation
import ScorebookCore

/// answers.json: one JSON object from item id to "yes", "no", "na" or a number.
public enum AnswersFile {
    public static func read(_ path: String) throws -> [String: Answer] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImportFailure(file: path, reason: "cannot read the file")
        }
        guard String(data: data, encoding: .utf8) != nil else {
            throw ImportFailure(file: path, reason: "not valid UTF-8 text (save the file as UTF-8)")
        }
        // Foundation's parser on Linux lets `{"a": "yes",}` through; JSON does not
        guard !hasTrailingComma(data), let object = try? JSONSerialization.jsonObject(with: data),
              let dictionary = object as? [String: Any] else {
            throw ImportFailure(file: path, reason: "not a JSON object of item id to answer")
        }
        guard !dictionary.isEmpty else { throw ImportFailure(file: path, reason: "the file holds no answers ({})") }
        // JSONSerialization keeps only the last copy of a key given twice: refused, as in a JSONL line
        var seen = Set<String>()
        for key in topLevelKeys(data) where !seen.insert(key).inserted {
            throw ImportFailure(file: path, field: key, reason: "is given twice in the same object")
        }
        var answers: [String: Answer] = [:]
        for (item, value) in dictionary {
            var parsed: Answer?
            if let text = value as? String {
                parsed = Answer.parse(text)
            } else if let number = value as? NSNumber, !JSONScalar.isBoolean(number) {
                parsed = .number(number.doubleValue)
            }
            guard let answer = parsed else {
                throw ImportFailure(file: path, field: item, reason: "\(jsonText(value)) is not \"yes\", \"no\", \"na\" or a number")
            }
            answers[item] = answer
        }
        return answers
    }

    /// A JSON value as written (`true`, `null`, `[1]`), for a message.
    static func jsonText(_ value: Any) -> String {
        if let number = value as? NSNumber, JSONScalar.isBoolean(number) { return number.boolValue ? "true" : "false" }
        if value is NSNull { return "null" }
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]) else { return "\(value)" }
        return String(decoding: data, as: UTF8.self)
    }

    /// A `,` right before a closing `}` or `]` (outside strings).
    static func hasTrailingComma(_ data: Data) -> Bool {
        var lastSignificant: UInt8 = 0
        var inString = false, escaped = false
        for b in data {
            if inString {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch b {
            case 0x20, 0x09, 0x0A, 0x0D: continue
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "}"), UInt8(ascii: "]"): if lastSignificant == UInt8(ascii: ",") { return true }
            default: break
            }
            lastSignificant = b
        }
        return false
    }

    /// The keys of the top-level object of valid JSON `data`, in order, a key given twice listed twice.
    static func topLevelKeys(_ data: Data) -> [String] {
        let b = [UInt8](data)
        var keys: [String] = []
        var depth = 0, i = 0
        while i < b.count {
            switch b[i] {
            case UInt8(ascii: "\""):
                let start = i
                i += 1
                while i < b.count, b[i] != UInt8(ascii: "\"") { i += b[i] == UInt8(ascii: "\\") ? 2 : 1 }
                i = min(i + 1, b.count)
                guard depth == 1 else { continue }
                var j = i
                while j < b.count, b[j] == 0x20 || b[j] == 0x09 || b[j] == 0x0A || b[j] == 0x0D { j += 1 }
                if j < b.count, b[j] == UInt8(ascii: ":"),
                   let key = try? JSONSerialization.jsonObject(with: Data(b[start..<i]), options: [.fragmentsAllowed]) as? String {
                    keys.append(key)
                }
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
            default: break
            }
            i += 1
        }
        return keys
    }
}

enum JSONScalar {
    /// JSONSerialization returns JSON booleans as NSNumber subclasses (`__NSCFBoolean`), which also cast
    /// to Bool like any 0/1 number; the class tells them apart.
    static func isBoolean(_ number: NSNumber) -> Bool {
        String(describing: type(of: number)).contains("Boolean")
    }
}

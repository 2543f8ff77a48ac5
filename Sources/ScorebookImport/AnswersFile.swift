import Foundation
import ScorebookCore

/// answers.json: one JSON object from item id to "yes", "no", "na" or a number.
public enum AnswersFile {
    public static func read(_ path: String) throws -> [String: Answer] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImportFailure(file: path, reason: "cannot read the file")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data), let dictionary = object as? [String: Any] else {
            throw ImportFailure(file: path, reason: "not a JSON object of item id to answer")
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
                throw ImportFailure(file: path, field: item, reason: "\(value) is not \"yes\", \"no\", \"na\" or a number")
            }
            answers[item] = answer
        }
        return answers
    }
}

enum JSONScalar {
    /// JSONSerialization returns JSON booleans as NSNumber subclasses (`__NSCFBoolean`), which also cast
    /// to Bool like any 0/1 number; the class tells them apart.
    static func isBoolean(_ number: NSNumber) -> Bool {
        String(describing: type(of: number)).contains("Boolean")
    }
}

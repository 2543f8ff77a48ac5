import XCTest
import Foundation
import ScorebookCore
@testable import ScorebookImport

final class SessionLineParserTests: XCTestCase {
    func parse(_ text: String) throws -> (fields: [String: String], turns: [TurnLine]?, unknownKeys: [String]) {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { try SessionLineParser.parse($0) }
    }

    func reason(_ text: String) -> String? {
        do { _ = try parse(text); return nil } catch { return "\(error)" }
    }

    func testScalarsEscapesAndTurns() throws {
        let line = #"""
        {"session_id":"V\"1","agent_id":"A01","channel":"video","wait_seconds":12,"first_response_seconds":3.5e0,
         "resolved":true,"transferred":false,"csat":null,"extra":{"nested":[1,"x",{"y":null}]},
         "turns":[{"at":1.5,"end":4.0,"speaker":"agent","text":"您好\n工号\u0031024 \ud83d\ude00 \\ \/"},
                  {"speaker":"customer","at":4.5,"text":"嗯"}]}
        """#
        let parsed = try parse(line)
        XCTAssertEqual(parsed.fields["session_id"], "V\"1")
        XCTAssertEqual(parsed.fields["wait_seconds"], "12")
        XCTAssertEqual(parsed.fields["first_response_seconds"], "3.5e0")
        XCTAssertEqual(parsed.fields["resolved"], "1")
        XCTAssertEqual(parsed.fields["transferred"], "0")
        XCTAssertEqual(parsed.fields["csat"], "", "null: an empty value, as an empty CSV cell")
        XCTAssertNil(parsed.fields["extra"])
        XCTAssertEqual(parsed.unknownKeys, ["extra"], "kept by name: on a line missing a field it is a misspelling")
        let turns = try XCTUnwrap(parsed.turns)
        XCTAssertEqual(turns.count, 2)
        XCTAssertEqual(turns[0].at, 1.5)
        XCTAssertEqual(turns[0].end, 4.0)
        XCTAssertEqual(turns[0].text, "您好\n工号1024 😀 \\ /")
        XCTAssertNil(turns[1].end)
        XCTAssertEqual(turns[1].speaker, "customer")
        XCTAssertEqual(turns[1].at, 4.5)
    }

    func testNumbersMatchTheStandardLibrary() throws {
        for text in ["0", "-0", "0.5", "12.25", "-3.5", "1e3", "2.5E-2", "1E+2", "-1.25e-1", "0e0", "123456789012345678"] {
            let parsed = try parse(#"{"turns":[{"at":\#(text),"speaker":"agent","text":""}]}"#)
            XCTAssertEqual(parsed.turns?.first?.at, Double(text), text)
        }
    }

    func testMalformedLines() {
        XCTAssertEqual(reason(#"{"session_id": "J2", oops"#), "malformed JSON line")
        XCTAssertEqual(reason(#"{"session_id":"x"} trailing"#), "malformed JSON line")
        XCTAssertEqual(reason(#"{"session_id":"bad \q escape"}"#), "malformed JSON line")
        XCTAssertEqual(reason(#"{"session_id":"\ud83d alone"}"#), "malformed JSON line")
        XCTAssertEqual(reason("[1,2]"), "malformed JSON line")
        XCTAssertEqual(reason(#"{"turns":[{"at":"1","speaker":"agent","text":"x"}]}"#), "turns[0].at: must be a number")
        XCTAssertEqual(reason(#"{"turns":[{"at":1,"text":"x"}]}"#), "turns[0].speaker: is missing")
        XCTAssertEqual(reason(#"{"turns":{"at":1}}"#), "turns: must be an array")
        XCTAssertEqual(reason(#"{"csat":[5]}"#), "csat: must be a string or a number")
    }

    /// A key given twice used to be read as its last copy (`"csat":1, ..., "csat":5` imported 5): refused,
    /// naming it. Unknown keys are skipped, twice or not.
    func testAKnownKeyGivenTwiceIsRefused() throws {
        XCTAssertEqual(reason(#"{"session_id":"J1","csat":1,"channel":"chat","csat":5}"#), "csat: is given twice in the same object")
        XCTAssertEqual(reason(#"{"csat":null,"csat":5}"#), "csat: is given twice in the same object")
        XCTAssertEqual(reason(#"{"turns":[],"turns":[]}"#), "turns: is given twice in the same object")
        XCTAssertEqual(reason(#"{"turns":[{"at":1,"speaker":"agent","text":"a"},{"at":2,"speaker":"agent","text":"b","text":"c"}]}"#),
                       "turns[1].text: is given twice in the same object")
        XCTAssertEqual(reason(#"{"turns":[{"at":1,"end":2,"end":3,"speaker":"agent","text":"a"}]}"#),
                       "turns[0].end: is given twice in the same object")
        let parsed = try parse(#"{"session_id":"J1","note":1,"note":2,"turns":[{"at":1,"speaker":"agent","text":"a","x":1,"x":2}]}"#)
        XCTAssertEqual(parsed.fields["session_id"], "J1")
        XCTAssertEqual(parsed.turns?.count, 1)
    }

    /// Numbers follow JSON's grammar exactly (`-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`);
    /// anything else is refused naming the field, wherever the number is (a turn, a session field, a skipped key).
    func testMalformedNumbersAreRefusedNamingTheField() {
        for bad in ["1.2.3", "1..5", "1.", ".5", "-", "01", "-01", "00", "1e", "1e+", "1.5e3.2", "--1", "1-2", "1+2", "1ee3"] {
            XCTAssertEqual(reason(#"{"turns":[{"at":\#(bad),"speaker":"agent","text":"x"}]}"#),
                           "turns[0].at: '\(bad)' is not a number", bad)
        }
        XCTAssertEqual(reason(#"{"turns":[{"at":1,"end":1..5,"speaker":"agent","text":"x"}]}"#), "turns[0].end: '1..5' is not a number")
        XCTAssertEqual(reason(#"{"wait_seconds":1.2.3}"#), "wait_seconds: '1.2.3' is not a number")
        XCTAssertEqual(reason(#"{"csat":01}"#), "csat: '01' is not a number")
        XCTAssertEqual(reason(#"{"extra":{"n":[1,2.]}}"#), "extra: '2.' is not a number")
        XCTAssertEqual(reason(#"{"turns":[{"at":1,"speaker":"agent","text":"x","x":1.2.3}]}"#), "turns[0].x: '1.2.3' is not a number")
    }
}

/// The answers file's duplicate-key check reads the keys of the top-level object only.
final class AnswersFileKeysTests: XCTestCase {
    func testTopLevelKeysSkipNestedValuesAndEscapedQuotes() {
        let json = #"{"a\"b": {"c": 1, "c": 2}, "d" : "x\":y", "e": [{"f": 1}], "d": 0}"#
        XCTAssertEqual(AnswersFile.topLevelKeys(Data(json.utf8)), [#"a"b"#, "d", "e", "d"])
        XCTAssertEqual(AnswersFile.topLevelKeys(Data("{}".utf8)), [])
    }

    func testTrailingCommasOutsideStrings() {
        XCTAssertTrue(AnswersFile.hasTrailingComma(Data(#"{"a": "yes",}"#.utf8)))
        XCTAssertTrue(AnswersFile.hasTrailingComma(Data("{\"a\": [1, 2 ,\n ]}".utf8)))
        XCTAssertFalse(AnswersFile.hasTrailingComma(Data(#"{"a": "x,}", "b\",]": 1}"#.utf8)))
    }
}

/// Lines longer than the 1 MiB read chunk come back whole (the newline search resumes where it stopped).
final class LineReaderTests: XCTestCase {
    func testLinesAcrossManyChunks() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lines-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let long = String(repeating: "您好", count: 600_000)   // 3.6 MB
        try Data("a\r\n\(long)\nb\n\n\(long)c".utf8).write(to: URL(fileURLWithPath: path))
        let reader = try LineReader(path: path)
        var lines: [String] = []
        while let line = reader.next() { lines.append(String(decoding: line, as: UTF8.self)) }
        XCTAssertEqual(lines.map(\.count), [1, long.count, 1, 0, long.count + 1])
        XCTAssertEqual(lines[1], long)
        XCTAssertEqual(lines[4], long + "c")
        XCTAssertEqual(reader.lineNumber, 5)
    }
}

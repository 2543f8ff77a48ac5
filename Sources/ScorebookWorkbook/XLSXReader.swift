import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// A cell value as stored in the file. Dates are numbers (serials); formulas give their cached result.
public enum XLSXValue: Equatable, Hashable, Sendable {
    case empty
    case string(String)
    case number(Double)
    case bool(Bool)
    /// An error value such as `#DIV/0!`.
    case error(String)
    /// A formula whose result was not saved with the file (written by a program that does not calculate,
    /// and not opened and saved in a spreadsheet since): its value is unknown, not blank.
    case uncalculated

    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var number: Double? { if case .number(let n) = self { return n }; return nil }
    public var isEmpty: Bool { self == .empty }
}

/// One `<row>` of a sheet. `number` is Excel's 1-based row number (what a user sees, "line" for an
/// importer); `cells[i]` is column `i` (0 = `A`), with `.empty` for gaps; trailing empty cells are dropped.
public struct XLSXRow: Equatable, Sendable {
    public let number: Int
    public let cells: [XLSXValue]
    public init(number: Int, cells: [XLSXValue]) { self.number = number; self.cells = cells }
    /// The value in column `column` (0-based), `.empty` beyond the last cell.
    public subscript(_ column: Int) -> XLSXValue { column >= 0 && column < cells.count ? cells[column] : .empty }
    /// True when the row element holds no values (e.g. only formatted blanks).
    public var isBlank: Bool { cells.allSatisfy { $0 == .empty } }
}

public enum XLSXReaderError: Error, Equatable, CustomStringConvertible {
    case fileNotFound(String)
    case notAnXLSX(String, reason: String)
    case missingSheet(String, available: [String])
    case malformed(part: String, reason: String)

    public var description: String {
        switch self {
        case .fileNotFound(let p): return "\(p): file not found"
        case let .notAnXLSX(p, reason): return "\(p) is not an .xlsx workbook: \(reason)"
        case let .missingSheet(name, available):
            return "the workbook has no sheet \"\(name)\" (sheets: \(available.map { "\"\($0)\"" }.joined(separator: ", ")))"
        case let .malformed(part, reason): return "malformed workbook part \(part): \(reason)"
        }
    }
}

/// Reads .xlsx files: sheet names, and each sheet's cell values. Handles what libxlsxwriter writes
/// (shared strings, inline strings in constant-memory mode) and what Excel/LibreOffice write on re-save
/// (shared strings with rich-text runs, `t="str"` formula results, `_xHHHH_` escapes, numbers in
/// scientific notation, rows/cells without `r` attributes, namespace prefixes).
///
/// Limits: values only (no styles, so dates come back as serial numbers and number formats are not
/// applied); formulas are not evaluated (their cached value is returned); merged cells are not expanded;
/// each part is decompressed into memory before parsing (fine for tens of MB; rows are then streamed to
/// `forEachRow` without building the whole table).
public final class XLSXReader {
    public struct Sheet: Equatable, Sendable {
        public let name: String
        /// Zip path of the worksheet part, e.g. `xl/worksheets/sheet1.xml`.
        public let part: String
        /// `visible`, `hidden` or `veryHidden`.
        public let state: String
    }

    public let path: String
    public let sheets: [Sheet]
    /// The largest uncompressed part this reader will inflate (guards against zip bombs in uploaded files).
    public let maxPartBytes: Int
    private let archive: Archive
    private let sharedStringsPart: String?
    private var sharedStringsCache: [String]?

    public var sheetNames: [String] { sheets.map(\.name) }

    public convenience init(path: String, maxPartBytes: Int = 512 << 20) throws {
        try self.init(url: URL(fileURLWithPath: path), maxPartBytes: maxPartBytes)
    }

    /// Opens the workbook and reads its sheet list. `maxPartBytes` bounds any one inflated XML part
    /// (default 512 MiB; a 1,000,000 × 10 sheet from libxlsxwriter is ≈ 150 MB).
    public init(url: URL, maxPartBytes: Int = 512 << 20) throws {
        path = url.path
        self.maxPartBytes = maxPartBytes
        guard FileManager.default.fileExists(atPath: url.path) else { throw XLSXReaderError.fileNotFound(url.path) }
        let archive: Archive
        do { archive = try Archive(url: url, accessMode: .read) } catch {
            throw XLSXReaderError.notAnXLSX(url.path, reason: "not a zip archive")
        }
        self.archive = archive

        // Root relationships name the workbook part (normally xl/workbook.xml).
        var workbookPart = "xl/workbook.xml"
        if archive["_rels/.rels"] != nil {
            let rels = try Self.relationships(archive, part: "_rels/.rels", base: "", limit: maxPartBytes)
            if let r = rels.first(where: { $0.type.hasSuffix("/officeDocument") }) { workbookPart = r.target }
        }
        guard archive[workbookPart] != nil else {
            throw XLSXReaderError.notAnXLSX(url.path, reason: "no workbook part (\(workbookPart))")
        }
        let base = (workbookPart as NSString).deletingLastPathComponent
        let relsPart = (base.isEmpty ? "" : base + "/") + "_rels/" + (workbookPart as NSString).lastPathComponent + ".rels"
        let rels = archive[relsPart] != nil ? try Self.relationships(archive, part: relsPart, base: base, limit: maxPartBytes) : []
        let byID = Dictionary(rels.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })

        let wbParser = WorkbookParser()
        try Self.parse(archive, part: workbookPart, delegate: wbParser, limit: maxPartBytes)
        var sheets: [Sheet] = []
        for (i, s) in wbParser.sheets.enumerated() {
            var part: String
            if let id = s.rid, let rel = byID[id] { part = rel.target }
            else { part = (base.isEmpty ? "" : base + "/") + "worksheets/sheet\(i + 1).xml" }
            if archive[part] == nil && archive["/" + part] != nil { part = "/" + part }
            sheets.append(Sheet(name: s.name, part: part, state: s.state))
        }
        self.sheets = sheets
        if let ss = rels.first(where: { $0.type.hasSuffix("/sharedStrings") }) { sharedStringsPart = ss.target }
        else if archive[(base.isEmpty ? "" : base + "/") + "sharedStrings.xml"] != nil {
            sharedStringsPart = (base.isEmpty ? "" : base + "/") + "sharedStrings.xml"
        } else { sharedStringsPart = nil }
    }

    /// The uncompressed bytes of a zip entry, e.g. `xl/worksheets/sheet1.xml`.
    public func partData(_ part: String) throws -> Data {
        try Self.data(archive, part: part, limit: maxPartBytes)
    }

    /// The raw XML of the named sheet's part.
    public func sheetXML(_ name: String) throws -> Data { try partData(try sheet(named: name).part) }

    public func sheet(named name: String) throws -> Sheet {
        guard let s = sheets.first(where: { $0.name == name }) else {
            throw XLSXReaderError.missingSheet(name, available: sheetNames)
        }
        return s
    }

    /// The shared-string table (each entry's runs concatenated; phonetic runs skipped).
    public func sharedStrings() throws -> [String] {
        if let c = sharedStringsCache { return c }
        var result: [String] = []
        if let part = sharedStringsPart, archive[part] != nil {
            let p = SharedStringsParser()
            try Self.parse(archive, part: part, delegate: p, limit: maxPartBytes)
            result = p.strings
        }
        sharedStringsCache = result
        return result
    }

    /// All rows of sheet `name` in file order.
    public func rows(sheet name: String) throws -> [XLSXRow] {
        var out: [XLSXRow] = []
        try forEachRow(sheet: name) { out.append($0) }
        return out
    }

    /// Calls `body` for each `<row>` of sheet `name`, in file order. Errors thrown by `body` stop parsing
    /// and are rethrown.
    public func forEachRow(sheet name: String, _ body: @escaping (XLSXRow) throws -> Void) throws {
        let s = try sheet(named: name)
        let p = SheetParser(part: s.part, shared: try sharedStrings(), body: body)
        try Self.parse(archive, part: s.part, delegate: p, limit: maxPartBytes)
    }

    // MARK: Internals

    struct Relationship { let id: String; let type: String; let target: String }

    struct TooLarge: Error {}

    static func data(_ archive: Archive, part: String, limit: Int) throws -> Data {
        guard let entry = archive[part] else {
            throw XLSXReaderError.malformed(part: part, reason: "missing from the archive")
        }
        let tooLarge = XLSXReaderError.malformed(part: part, reason: "inflates to more than \(limit) bytes")
        if entry.uncompressedSize > UInt64(limit) { throw tooLarge }
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                // The header's size may lie; count what is actually inflated.
                if data.count + chunk.count > limit { throw TooLarge() }
                data.append(chunk)
            }
        } catch is TooLarge {
            throw tooLarge
        } catch {
            throw XLSXReaderError.malformed(part: part, reason: "cannot decompress: \(error)")
        }
        return data
    }

    static func parse(_ archive: Archive, part: String, delegate: ThrowingParserDelegate, limit: Int) throws {
        // Fed as a stream: libxml2 then parses in chunks; one whole-buffer chunk fails on parts over ~10 MB
        // (libxlsxwriter writes a sheet as a single line, which hits libxml2's lookup limit).
        let parser = XMLParser(stream: InputStream(data: try data(archive, part: part, limit: limit)))
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        parser.delegate = delegate
        let ok = parser.parse()
        if let e = delegate.failure { throw e }
        if !ok {
            let what = parser.parserError.map { "\($0.localizedDescription)" } ?? "XML parse error"
            throw XLSXReaderError.malformed(part: part, reason: "\(what) at line \(parser.lineNumber), column \(parser.columnNumber)")
        }
    }

    static func relationships(_ archive: Archive, part: String, base: String, limit: Int) throws -> [Relationship] {
        let p = RelationshipsParser()
        try parse(archive, part: part, delegate: p, limit: limit)
        return p.rels.map { r in
            Relationship(id: r.id, type: r.type, target: resolve(r.target, base: base))
        }
    }

    /// Resolves a relationship target against the source part's folder (`/xl/x.xml` is absolute).
    static func resolve(_ target: String, base: String) -> String {
        var parts: [Substring] = target.hasPrefix("/") ? [] : base.split(separator: "/")
        for comp in target.split(separator: "/") {
            if comp == ".." { if !parts.isEmpty { parts.removeLast() } }
            else if comp != "." { parts.append(comp) }
        }
        return parts.joined(separator: "/")
    }
}

// MARK: - SAX delegates

@inline(__always)
func localName(_ qname: String) -> Substring {
    if let i = qname.lastIndex(of: ":") { return qname[qname.index(after: i)...] }
    return Substring(qname)
}

/// Decodes OOXML `_xHHHH_` escapes (`_x000D_` is CR, `_x005F_` a literal underscore).
func decodeOOXMLEscapes(_ s: String) -> String {
    guard s.contains("_x") else { return s }
    var out = String.UnicodeScalarView()
    let u = Array(s.unicodeScalars)
    var i = 0
    while i < u.count {
        if u[i] == "_", i + 6 < u.count, u[i + 1] == "x", u[i + 6] == "_" {
            let hex = String(String.UnicodeScalarView(u[(i + 2)..<(i + 6)]))
            if hex.allSatisfy(\.isHexDigit), let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) {
                out.append(scalar); i += 7; continue
            }
        }
        out.append(u[i]); i += 1
    }
    return String(out)
}

/// Column index (0-based) from a cell reference such as `AB12` (or `$AB$12`).
func columnIndex(fromReference ref: String) -> Int? {
    var col = 0
    var sawLetter = false
    for ch in ref.utf8 {
        switch ch {
        case UInt8(ascii: "$"): continue
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): col = col * 26 + Int(ch - UInt8(ascii: "A") + 1); sawLetter = true
        case UInt8(ascii: "a")...UInt8(ascii: "z"): col = col * 26 + Int(ch - UInt8(ascii: "a") + 1); sawLetter = true
        default:
            return sawLetter ? col - 1 : nil
        }
        if col > 16_384 { return nil }
    }
    return sawLetter ? col - 1 : nil
}

/// Base delegate. On Linux `XMLParserDelegate` is a plain Swift protocol whose witnesses are fixed where the
/// conformance is declared, so the callbacks are declared here and overridden by the parsers below.
class ThrowingParserDelegate: NSObject, XMLParserDelegate {
    var failure: Error?
    func fail(_ parser: XMLParser, _ error: Error) {
        if failure == nil { failure = error }
        parser.abortParsing()
    }
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {}
    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {}
    func parser(_ parser: XMLParser, foundCharacters string: String) {}
    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        self.parser(parser, foundCharacters: String(decoding: CDATABlock, as: UTF8.self))
    }
}

final class RelationshipsParser: ThrowingParserDelegate {
    var rels: [(id: String, type: String, target: String)] = []
    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        guard localName(elementName) == "Relationship", attributeDict["TargetMode"] != "External",
              let id = attributeDict["Id"], let target = attributeDict["Target"] else { return }
        rels.append((id, attributeDict["Type"] ?? "", target))
    }
}

final class WorkbookParser: ThrowingParserDelegate {
    var sheets: [(name: String, rid: String?, state: String)] = []
    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        guard localName(elementName) == "sheet", let name = attributeDict["name"] else { return }
        // r:id, whatever the relationships namespace prefix is.
        let rid = attributeDict.first(where: { $0.key.contains(":") && localName($0.key) == "id" })?.value
        sheets.append((decodeOOXMLEscapes(name), rid, attributeDict["state"] ?? "visible"))
    }
}

/// Collects text of `<t>` elements inside a container (`<si>` or `<is>`), skipping phonetic `<rPh>` runs.
struct RunTextCollector {
    var text = ""
    var inT = false
    var phoneticDepth = 0
    mutating func start(_ name: Substring) {
        if name == "rPh" { phoneticDepth += 1 } else if name == "t" && phoneticDepth == 0 { inT = true }
    }
    mutating func end(_ name: Substring) {
        if name == "rPh" { phoneticDepth -= 1 } else if name == "t" { inT = false }
    }
    mutating func characters(_ s: String) { if inT { text += s } }
}

final class SharedStringsParser: ThrowingParserDelegate {
    var strings: [String] = []
    private var collector: RunTextCollector?
    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        let n = localName(elementName)
        if n == "si" { collector = RunTextCollector() } else { collector?.start(n) }
    }
    override func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        let n = localName(elementName)
        if n == "si" {
            strings.append(decodeOOXMLEscapes(collector?.text ?? ""))
            collector = nil
        } else { collector?.end(n) }
    }
    override func parser(_ parser: XMLParser, foundCharacters string: String) { collector?.characters(string) }
}

final class SheetParser: ThrowingParserDelegate {
    let part: String
    let shared: [String]
    let body: (XLSXRow) throws -> Void

    private var lastRow = 0
    private var rowNumber = 0
    private var cells: [XLSXValue] = []
    private var inRow = false
    private var nextColumn = 0
    // current cell
    private var column = 0
    private var type = "n"
    private var ref = ""
    private var inCell = false
    private var value = ""
    private var hasValue = false
    private var hasFormula = false
    private var inV = false
    private var inline: RunTextCollector?

    init(part: String, shared: [String], body: @escaping (XLSXRow) throws -> Void) {
        self.part = part; self.shared = shared; self.body = body
    }

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        let n = localName(elementName)
        switch n {
        case "row":
            if let r = attributeDict["r"] {
                guard let v = Int(r), v > lastRow, v <= 1_048_576 else {
                    return fail(parser, XLSXReaderError.malformed(part: part, reason: "bad or descending row number r=\"\(r)\" after row \(lastRow)"))
                }
                rowNumber = v
            } else { rowNumber = lastRow + 1 }
            inRow = true; cells = []; nextColumn = 0
        case "c" where inRow:
            if let r = attributeDict["r"] {
                guard let c = columnIndex(fromReference: r) else {
                    return fail(parser, XLSXReaderError.malformed(part: part, reason: "bad cell reference \"\(r)\" in row \(rowNumber)"))
                }
                column = c; ref = r
            } else {
                column = nextColumn; ref = "row \(rowNumber) column \(nextColumn + 1)"
            }
            type = attributeDict["t"] ?? "n"
            inCell = true; value = ""; hasValue = false; hasFormula = false; inline = nil
        case "f" where inCell:
            hasFormula = true
        case "v" where inCell:
            inV = true; hasValue = true
        case "is" where inCell:
            inline = RunTextCollector(); hasValue = true
        default:
            inline?.start(n)
        }
    }

    override func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        let n = localName(elementName)
        switch n {
        case "v": inV = false
        case "c" where inCell:
            inCell = false
            let v: XLSXValue
            do { v = try cellValue() } catch { return fail(parser, error) }
            if column >= cells.count {
                if v == .empty { nextColumn = column + 1; return }
                cells.append(contentsOf: repeatElement(.empty, count: column - cells.count))
                cells.append(v)
            } else {
                cells[column] = v
            }
            nextColumn = column + 1
        case "row" where inRow:
            inRow = false
            lastRow = rowNumber
            while let last = cells.last, last == .empty { cells.removeLast() }
            do { try body(XLSXRow(number: rowNumber, cells: cells)) } catch { return fail(parser, error) }
        case "is": break   // keep the collected text until </c>
        default:
            inline?.end(n)
        }
    }

    override func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inV { value += string } else { inline?.characters(string) }
    }

    private func cellValue() throws -> XLSXValue {
        guard hasValue else { return hasFormula ? .uncalculated : .empty }
        switch type {
        case "s":
            guard let i = Int(value.trimmingCharacters(in: .whitespaces)), i >= 0, i < shared.count else {
                throw XLSXReaderError.malformed(part: part, reason: "shared string index \"\(value)\" out of range at \(ref)")
            }
            return .string(shared[i])
        case "inlineStr":
            if let inline { return .string(decodeOOXMLEscapes(inline.text)) }
            return .string(decodeOOXMLEscapes(value))
        case "str":
            return .string(decodeOOXMLEscapes(value))
        case "b":
            let t = value.trimmingCharacters(in: .whitespaces)
            return .bool(t == "1" || t.lowercased() == "true")
        case "e":
            return .error(value)
        case "d":
            return .string(value)   // ISO 8601 date text (rare; Excel writes numbers)
        default:
            let t = value.trimmingCharacters(in: .whitespacesAndNewlines)
            // `<f>2+2</f><v/>`: a formula whose saved value is empty (openpyxl writes it so) was not calculated
            if t.isEmpty { return hasFormula ? .uncalculated : .empty }
            guard let d = Double(t) else {
                throw XLSXReaderError.malformed(part: part, reason: "number \"\(t)\" is not numeric at \(ref)")
            }
            return .number(d)
        }
    }
}

import Foundation

/// Reads a rubric from YAML text and validates it. Every error names the file, the line, the field or
/// item, and the reason.
public enum RubricParser {
    /// `strict: false` reads a stored rubric again (see `YAMLNode.strict`).
    public static func parse(_ text: String, file: String, strict: Bool = true) throws -> Rubric {
        let root = try YAMLNode.parse(text, file: file, strict: strict)
        try root.checkKeys(["id", "version", "name", "description", "conditions", "sections"])
        let id = try identifier(root.required("id"))
        let versionNode = try root.required("version")
        let version = try versionNode.int()
        guard version >= 1 else { throw versionNode.error("version must be a whole number ≥ 1") }
        let name = try root.required("name").nonEmptyString()
        let description = try root.optional("description")?.string()
        var conditions: [String: Condition] = [:]
        var conditionNodes: [String: YAMLNode] = [:]
        if let conditionsNode = try root.optional("conditions") {
            for (name, node) in try conditionsNode.mapping() {
                let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
                guard !name.isEmpty, name.unicodeScalars.allSatisfy({ allowed.contains($0) && $0.isASCII }) else {
                    throw node.error("condition '\(name)': not a valid name (ASCII letters, digits, '-', '_', '.')")
                }
                conditions[name] = try AutoRule.parseCondition(node, owner: "condition '\(name)'")
                conditionNodes[name] = node
            }
        }

        let sectionsNode = try root.required("sections")
        let sectionNodes = try sectionsNode.sequence()
        guard !sectionNodes.isEmpty else { throw sectionsNode.error("a rubric needs at least one section") }

        var sectionIDs = Set<String>()
        var itemIDs = Set<String>()
        var sections: [RubricSection] = []
        for node in sectionNodes {
            let section = try parseSection(node, itemIDs: &itemIDs)
            guard sectionIDs.insert(section.id).inserted else {
                throw try node.required("id").error("duplicate section id '\(section.id)'")
            }
            sections.append(section)
        }
        try checkReferences(conditions: conditions, conditionNodes: conditionNodes, sections: sections, sectionNodes: sectionNodes)
        return Rubric(id: id, version: version, name: name, description: description, sections: sections,
                      conditions: conditions)
    }

    /// Every `ref:` names a condition of the rubric's `conditions:` map, and no condition refers to itself.
    private static func checkReferences(conditions: [String: Condition], conditionNodes: [String: YAMLNode],
                                        sections: [RubricSection], sectionNodes: [YAMLNode]) throws {
        func refs(_ c: Condition) -> [String] {
            switch c {
            case .allOf(let cs), .anyOf(let cs): return cs.flatMap(refs)
            case .not(let x): return refs(x)
            case .ref(let name): return [name]
            case .leaf: return []
            }
        }
        for (name, condition) in conditions.sorted(by: { $0.key < $1.key }) {
            let node = conditionNodes[name]!
            for target in refs(condition) where conditions[target] == nil {
                throw node.error("condition '\(name)': ref '\(target)' names no condition of the rubric's conditions:")
            }
            // cycle check: depth-first from this condition
            var stack = refs(condition)
            var seen = Set<String>()
            while let next = stack.popLast() {
                if next == name { throw node.error("condition '\(name)': refers to itself (a ref cycle)") }
                if seen.insert(next).inserted, let c = conditions[next] { stack.append(contentsOf: refs(c)) }
            }
        }
        for (section, sectionNode) in zip(sections, sectionNodes) {
            let itemNodes = (try? sectionNode.required("items").sequence()) ?? []
            for (item, itemNode) in zip(section.items, itemNodes) {
                guard let rule = item.auto else { continue }
                for target in refs(rule.condition) where conditions[target] == nil {
                    let node = (try? itemNode.required("auto")) ?? itemNode
                    throw node.error("item '\(item.id)': ref '\(target)' names no condition of the rubric's conditions:")
                }
            }
        }
    }

    static func identifier(_ node: YAMLNode) throws -> String {
        let value = try node.nonEmptyString()
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_."))
        guard value.unicodeScalars.allSatisfy({ allowed.contains($0) && $0.isASCII }) else {
            throw node.error("'\(value)' is not a valid id (ASCII letters, digits, '-', '_', '.')")
        }
        return value
    }

    private static func parseSection(_ node: YAMLNode, itemIDs: inout Set<String>) throws -> RubricSection {
        try node.checkKeys(["id", "name", "dimension", "weight", "items"])
        let id = try identifier(node.required("id"))
        let name = try node.required("name").nonEmptyString()
        let dimensionNode = try node.required("dimension")
        let dimensionText = try dimensionNode.string()
        guard let dimension = Dimension(rawValue: dimensionText) else {
            throw dimensionNode.error("unknown dimension '\(dimensionText)' (compliance, accuracy or etiquette)")
        }
        let weightNode = try node.required("weight")
        let weight = try weightNode.double()
        guard weight > 0 else { throw weightNode.error("section '\(id)': weight must be positive, found \(format(weight))") }

        let itemsNode = try node.required("items")
        let itemNodes = try itemsNode.sequence()
        guard !itemNodes.isEmpty else { throw itemsNode.error("section '\(id)' has no items") }
        var items: [RubricItem] = []
        for itemNode in itemNodes {
            let item = try parseItem(itemNode)
            guard itemIDs.insert(item.id).inserted else {
                throw try itemNode.required("id").error("duplicate item id '\(item.id)'")
            }
            items.append(item)
        }
        return RubricSection(id: id, name: name, dimension: dimension, weight: weight, items: items)
    }

    private static func parseItem(_ node: YAMLNode) throws -> RubricItem {
        try node.checkKeys(["id", "text", "type", "points", "levels", "per", "severity", "na", "critical", "auto"])
        let id = try identifier(node.required("id"))
        let text = try node.required("text").nonEmptyString()
        let typeNode = try node.required("type")
        let typeText = try typeNode.string()
        guard let type = ItemType(rawValue: typeText) else {
            throw typeNode.error("item '\(id)': unknown type '\(typeText)' (yes_no, scale or deduction)")
        }
        let pointsNode = try node.required("points")
        let points = try pointsNode.double()
        guard points > 0 else { throw pointsNode.error("item '\(id)': points must be positive") }

        var levels: [Double] = []
        var per = 0.0
        var severityPoints: SeverityPoints?
        switch type {
        case .yesNo:
            for key in ["levels", "per", "severity"] where try node.optional(key) != nil {
                throw try node.required(key).error("item '\(id)': '\(key)' does not apply to a yes_no item")
            }
        case .scale:
            for key in ["per", "severity"] where try node.optional(key) != nil {
                throw try node.required(key).error("item '\(id)': '\(key)' does not apply to a scale item")
            }
            let levelsNode = try node.required("levels")
            levels = try levelsNode.doubleList()
            guard !levels.isEmpty else { throw levelsNode.error("item '\(id)': a scale item needs levels") }
            guard zip(levels, levels.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw levelsNode.error("item '\(id)': levels must be distinct and ascending")
            }
            guard levels[0] >= 0 else { throw levelsNode.error("item '\(id)': levels must not be negative") }
            guard levels.last == points else {
                throw levelsNode.error("item '\(id)': the highest level (\(format(levels.last!))) must equal points (\(format(points)))")
            }
        case .deduction:
            if let severityNode = try node.optional("severity") {
                try severityNode.checkKeys(["light", "moderate", "severe"])
                let light = try positive(severityNode.required("light"), id)
                let moderate = try positive(severityNode.required("moderate"), id)
                let severe = try positive(severityNode.required("severe"), id)
                severityPoints = SeverityPoints(light: light, moderate: moderate, severe: severe)
                per = try node.optional("per").map { try positive($0, id) } ?? light
            } else {
                per = try positive(node.required("per"), id)
            }
            if try node.optional("levels") != nil {
                throw try node.required("levels").error("item '\(id)': 'levels' does not apply to a deduction item")
            }
        }

        let allowsNA = try node.optional("na")?.bool() ?? false
        var critical: CriticalScope?
        if let criticalNode = try node.optional("critical") {
            let text = try criticalNode.string()
            guard let scope = CriticalScope(rawValue: text) else {
                throw criticalNode.error("item '\(id)': critical must be 'section' or 'form', found '\(text)'")
            }
            critical = scope
        }
        let auto = try node.optional("auto").map { try AutoRule.parse($0, item: id) }
        return RubricItem(id: id, text: text, type: type, points: points, levels: levels, per: per,
                          severityPoints: severityPoints, allowsNA: allowsNA, critical: critical, auto: auto)
    }

    private static func positive(_ node: YAMLNode, _ item: String) throws -> Double {
        let value = try node.double()
        guard value > 0 else { throw node.error("item '\(item)': must be positive") }
        return value
    }
}

/// Formats a number without a trailing `.0` for messages (5 rather than 5.0).
func format(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
}

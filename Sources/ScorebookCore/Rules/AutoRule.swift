/// An automatic-inspection rule attached to a rubric item (`auto:` in the rubric YAML).
/// Placeholder until the rule engine lands: the parser refuses every rule.
public struct AutoRule: Sendable, Equatable {
    public static func parse(_ node: YAMLNode, item: String) throws -> AutoRule {
        throw node.error("automatic rules are not supported yet", field: "\(item).auto")
    }
}

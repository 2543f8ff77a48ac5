import ArgumentParser

public struct Scorebook: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "scorebook",
        abstract: "Quality inspection and performance appraisal for bank customer-service centers.",
        subcommands: [
            InitCommand.self, ImportCommand.self, RubricCommand.self, InspectCommand.self, InspectionsCommand.self,
            InspectionCommand.self, SchemeCommand.self, AppraiseCommand.self, AppraisalsCommand.self, ExplainCommand.self,
            FinalizeCommand.self, ReopenCommand.self, SampleCommand.self, AssignmentsCommand.self, AuditCommand.self,
            FindingsCommand.self, ReviewCommand.self, RulesCommand.self, DemoCommand.self, GenerateCommand.self, ExportCommand.self, TemplateCommand.self,
            ServeCommand.self, PasswordCommand.self, DisputesCommand.self, DisputeCommand.self,
        ])
    public init() {}
}

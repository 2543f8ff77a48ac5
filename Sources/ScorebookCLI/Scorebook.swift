import ArgumentParser

public struct Scorebook: ParsableCommand {
    public static let configuration = CommandConfiguration(commandName: "scorebook")
    public init() {}
}

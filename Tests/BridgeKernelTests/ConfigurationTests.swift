import BridgeKernel
import Logging
import Testing

/// Config loading: every problem is reported with file, line, column and key path.
@Suite struct ConfigurationTests {
    struct ListSource: RegistrySource {
        let name: String
        let services: [String]
        func run(output: SourceOutput) async throws {}
    }

    struct CollectingSink: Sink {
        let name: String
        let directory: String
        func apply(_ state: DesiredState) async throws -> SinkReport { SinkReport() }
    }

    struct NullRenderer: ServiceRenderer {
        func render(_ service: Service) -> RenderResult { RenderResult(group: nil) }
    }

    var registry: PluginRegistry {
        var registry = PluginRegistry()
        registry.registerKernelTransforms()
        registry.registerSource(type: "list", keys: ["services"]) { name, config, _ in
            config.required("services")?.stringList().map { ListSource(name: name, services: $0) }
        }
        registry.registerSink(type: "memory", keys: ["directory"]) { name, config, _ in
            config.required("directory")?.nonEmptyString().map { CollectingSink(name: name, directory: $0) }
        }
        registry.registerRenderer(keys: ["namespace"]) { _, config, _ in
            if let node = config["namespace"], node.nonEmptyString() == nil { return nil }
            return NullRenderer()
        }
        return registry
    }

    let context = PluginContext(logger: Logger(label: "test"), configDirectory: "/etc/bridge", environment: [:])

    func load(_ yaml: String) -> Result<BridgeConfiguration, ConfigErrors> {
        Result { () throws(ConfigErrors) in
            try BridgeConfiguration.load(yaml: yaml, file: "bridge.yaml", registry: registry, context: context)
        }
    }

    func errors(_ yaml: String) -> [ConfigError] {
        if case .failure(let errors) = load(yaml) { return errors.errors }
        Issue.record("expected the config to be rejected")
        return []
    }

    @Test func validConfigBuildsEveryStageWithDefaults() throws {
        let configuration = try load(
            """
            sources:
              - type: list
                name: a
                services: [x, y]
            sinks:
              - type: memory
                directory: out
            """
        ).get()
        #expect(configuration.sources.map(\.name) == ["a"])
        #expect(configuration.sinks.map(\.name) == ["memory"])
        #expect(configuration.debounce == DebounceSettings())
        #expect(configuration.log == LogSettings())
    }

    @Test func debounceAndLogSectionsAreRead() throws {
        let configuration = try load(
            """
            sources: [{type: list, services: []}]
            sinks: [{type: memory, directory: out}]
            debounce: {quiet: 250ms, maxDelay: 1m30s, maxEvents: 50}
            log: {level: debug, format: json}
            transforms:
              - type: filter
                include: {apps: [shop]}
            """
        ).get()
        #expect(
            configuration.debounce == DebounceSettings(quiet: .milliseconds(250), maxDelay: .seconds(90), maxEvents: 50)
        )
        #expect(configuration.log == LogSettings(level: .debug, format: .json))
        #expect(configuration.transforms.count == 1)
    }

    @Test func unknownKeyIsReportedWithPositionAndSuggestion() {
        let found = errors(
            """
            sources: [{type: list, services: []}]
            sinks: [{type: memory, directory: out}]
            debounce:
              quiet: 1s
              maxDelai: 5s
            """)
        #expect(found.count == 1)
        #expect(found.first?.code == .unknownKey)
        #expect(
            found.first?.description.hasPrefix(
                "bridge.yaml:5:3: debounce.maxDelai: unknown key \"maxDelai\" (did you mean \"maxDelay\"?)") == true)
    }

    @Test func badDurationSaysWhatIsWrongAndWhere() {
        let found = errors(
            """
            sources: [{type: list, services: []}]
            sinks: [{type: memory, directory: out}]
            debounce: {quiet: 1x}
            """)
        #expect(found.map(\.code) == [.invalidValue])
        #expect(found.first?.line == 3)
        #expect(found.first?.column == 19)
        #expect(found.first?.path == "debounce.quiet")
        #expect(found.first?.message.contains("\"1x\" is not a duration") == true)
    }

    @Test func everyProblemIsReportedInOneRun() {
        let found = errors(
            """
            sources:
              - type: list
                services: notalist
              - type: nosuch
            sinks:
              - type: memory
            debounce: {maxEvents: many}
            colour: blue
            """)
        let summary = found.map { "\($0.line):\($0.path):\($0.code)" }
        #expect(
            summary == [
                "3:sources[0].services:wrongType",
                "4:sources[1].type:invalidValue",
                "6:sinks[0].directory:missingKey",
                "7:debounce.maxEvents:wrongType",
                "8:colour:unknownKey",
            ])
    }

    @Test func missingSectionsAreRequired() {
        let found = errors("log: {level: info}\n")
        #expect(Set(found.map(\.path)) == ["sources", "sinks"])
        #expect(found.allSatisfy { $0.code == .missingKey })
    }

    @Test func duplicateSourceNamesAreRejected() {
        let found = errors(
            """
            sources:
              - {type: list, name: sc, services: []}
              - {type: list, name: sc, services: []}
            sinks: [{type: memory, directory: out}]
            """)
        #expect(found.map(\.path) == ["sources[1]"])
        #expect(found.first?.message.contains("used twice") == true)
    }

    @Test func yamlSyntaxErrorCarriesItsPosition() {
        let found = errors("sources: [\n  {type: list\nsinks: []\n")
        #expect(found.first?.code == .syntax)
        #expect(found.first?.line ?? 0 > 1)
    }

    @Test func unsetMaxDelayFollowsTheQuietPeriod() throws {
        let configuration = try load(
            """
            sources: [{type: list, services: []}]
            sinks: [{type: memory, directory: out}]
            debounce: {quiet: 250ms}
            """
        ).get()
        #expect(configuration.debounce.maxDelay == .milliseconds(250))
        #expect(configuration.debounce == DebounceSettings(quiet: .milliseconds(250)))
    }

    @Test func maxDelayShorterThanQuietIsRejected() {
        let found = errors(
            """
            sources: [{type: list, services: []}]
            sinks: [{type: memory, directory: out}]
            debounce: {quiet: 5s, maxDelay: 1s}
            """)
        #expect(found.map(\.path) == ["debounce.maxDelay"])
    }

    @Test(arguments: [("500ms", 0.5), ("1s", 1.0), ("1m30s", 90.0), ("2h", 7200.0), ("1.5s", 1.5), ("0", 0.0)])
    func durationsParseGoStyle(text: String, seconds: Double) {
        let parsed = DurationSyntax.parse(text)
        #expect(parsed == .milliseconds(Int64(seconds * 1000)))
    }

    @Test(arguments: ["1x", "10", "-1s", "", "s", "1 s s"])
    func invalidDurationsAreRejected(text: String) {
        #expect(DurationSyntax.parse(text) == nil)
    }

    @Test func relativePathsResolveAgainstTheConfigDirectory() {
        #expect(context.resolvePath("gitops") == "/etc/bridge/gitops")
        #expect(context.resolvePath("/abs") == "/abs")
    }
}

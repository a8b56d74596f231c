/// Turns `monitord.yaml` into a ``MonitordConfig``: parses it, interpolates `${VAR}` references,
/// decodes the `monitord:` section and every source and sink through its plugin's config type, and
/// checks the wiring. Every problem in the file is collected and thrown together.
public enum ConfigLoader {
    /// The top-level sections a config may hold.
    static let sections = ["monitord", "sources", "sinks"]

    /// Loads a config from `text`; `file` names it in error messages.
    ///
    /// - Throws: ``ConfigErrors`` listing every problem, sorted by position.
    public static func load(
        text: String, file: String, registry: PluginRegistry, environment: [String: String]
    ) throws(ConfigErrors) -> MonitordConfig {
        let parsed = YAMLParser.parseCollecting(text, file: file)
        guard let root = parsed.root else { throw ConfigErrors(parsed.errors) }
        let interpolated = EnvironmentInterpolation(environment: environment).interpolate(root, file: file)
        var loading = ConfigLoading(file: file, registry: registry, failed: interpolated.failed.union(parsed.placeholders))
        loading.errors = parsed.errors + interpolated.errors
        let config = loading.load(interpolated.node)
        guard var config, loading.errors.isEmpty else {
            throw ConfigErrors(loading.errors)
        }
        config.warnings = loading.warnings.map(\.description)
        return config
    }
}

/// One load of one file: the state shared by the section, component and wiring checks.
struct ConfigLoading {
    let file: String
    let registry: PluginRegistry
    /// Scalars whose interpolation failed: already reported, so not reported again.
    let failed: Set<YAMLNode.Mark>
    let decoder = YAMLDecoder()
    var errors: [ConfigError] = []
    /// What the plugins flag without refusing the file (``SinkConfig/warnings``), placed like errors.
    var warnings: [ConfigError] = []

    init(file: String, registry: PluginRegistry, failed: Set<YAMLNode.Mark>) {
        self.file = file
        self.registry = registry
        self.failed = failed
    }

    mutating func error(_ mark: YAMLNode.Mark, _ path: ConfigPath, _ message: String) {
        errors.append(ConfigError(file: file, mark: mark, path: path, message: message))
    }

    /// The config, or nil when the file is not a mapping at all (the error is recorded).
    mutating func load(_ root: YAMLNode) -> MonitordConfig? {
        if root.isNull {
            error(root.mark, .root, Self.nothingToRun)
            return nil
        }
        guard let entries = root.entries else {
            error(root.mark, .root, "a config is a mapping with the sections monitord:, sources: and sinks:, found \(root.summary)")
            return nil
        }
        for entry in entries where !ConfigLoader.sections.contains(entry.key) {
            let hint = Suggestion.hint(for: entry.key, in: ConfigLoader.sections, noun: "sections")
            error(entry.keyMark, ConfigPath(keys: entry.key), "unknown section \"\(entry.key)\"\(hint)")
        }

        var settings = DaemonSettings()
        if let section = root["monitord"] {
            let (decoded, problems) = decoder.decodeCollecting(
                DaemonSettings.self, from: section, file: file, path: ConfigPath(keys: "monitord"), failed: failed)
            errors += problems
            settings = decoded ?? settings
        }

        var sources: [LoadedSource] = []
        for component in components(of: root.entry("sources"), kind: .source) {
            sources.append(loadSource(component))
        }
        var sinks: [LoadedSink] = []
        for component in components(of: root.entry("sinks"), kind: .sink) {
            sinks.append(loadSink(component))
        }
        checkWiring(sources: sources, sinks: sinks)

        var config = MonitordConfig(file: file, settings: settings, sources: [], sinks: [], disabled: [])
        for source in sources {
            guard source.enabled else { config.disabled.append(source.entry.id); continue }
            if let settings = source.settings, let plugin = source.config {
                config.sources.append(.init(
                    id: source.entry.id, settings: settings, config: plugin,
                    fingerprint: ComponentFingerprint.of(source.entry.node, excluding: SourceSettings.keys)))
            }
        }
        for sink in sinks {
            guard sink.enabled else { config.disabled.append(sink.entry.id); continue }
            if let settings = sink.settings, let plugin = sink.config {
                config.sinks.append(.init(
                    id: sink.entry.id, settings: settings, config: plugin,
                    fingerprint: ComponentFingerprint.of(sink.entry.node, excluding: SinkSettings.keys)))
            }
        }
        if errors.isEmpty, config.sources.isEmpty, config.sinks.isEmpty, config.disabled.isEmpty, sources.isEmpty, sinks.isEmpty {
            error(root.mark, .root, Self.nothingToRun)
        }
        return config
    }

    /// An empty file is refused: nothing would run, and a reload that read one (a file caught
    /// while an editor or a tool rewrote it) would stop every component.
    static let nothingToRun = "this config declares no source and no sink, so nothing would run; "
        + "if the file was being rewritten, write the new one aside and rename it over the old (mv is atomic), then reload"
}

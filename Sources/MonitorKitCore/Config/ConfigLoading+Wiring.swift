/// Checks across components: unique ids, `inputs` that match something, one port per sink.
extension ConfigLoading {
    mutating func checkWiring(sources: [LoadedSource], sinks: [LoadedSink]) {
        let sourceMarks = Dictionary(sources.map { ($0.entry.id, $0.entry.keyMark) }, uniquingKeysWith: { first, _ in first })
        for sink in sinks {
            if let first = sourceMarks[sink.entry.id] {
                error(sink.entry.keyMark, sink.entry.path,
                      "id \"\(sink.entry.id)\" is already used by the source at line \(first.line); every source and sink needs its own id")
            }
        }
        checkInputs(sources: sources, sinks: sinks)
        checkPorts(sinks)
        checkPlugins(sources: sources, sinks: sinks)
    }

    /// Each enabled plugin's own checks against the rest of the file (``SourceConfig/check(_:)``).
    private mutating func checkPlugins(sources: [LoadedSource], sinks: [LoadedSink]) {
        let enabled = sources.filter(\.enabled)
        let context = ConfigCheckContext.forSources(enabled.compactMap { source in source.config.map { (source.entry.id, $0) } })
        let sourceIDs = enabled.map(\.entry.id)
        let whole = ConfigCheckContext(
            sourceIDs: sourceIDs, inputs: .all, directories: context.directories, metrics: context.metrics)
        for source in enabled {
            guard let config = source.config else { continue }
            report(config.check(whole), of: source.entry)
        }
        for sink in sinks where sink.enabled {
            guard let config = sink.config else { continue }
            let inputs = sink.settings?.inputs ?? InputFilter(sink.inputs)
            report(config.check(whole.with(inputs: inputs)), of: sink.entry)
            report(config.warnings, of: sink.entry, asWarnings: true)
        }
    }

    /// Places each problem at the deepest node its path reaches (the component when none).
    private mutating func report(_ problems: [ConfigProblem], of component: ComponentEntry, asWarnings: Bool = false) {
        for problem in problems {
            var node: YAMLNode? = component.node
            var mark = component.keyMark
            for step in problem.steps {
                switch step {
                case .key(let key): node = node?[key]
                case .index(let index): node = node?.elements.flatMap { $0.indices.contains(index) ? $0[index] : nil }
                }
                if let node { mark = node.mark }
            }
            if failed.contains(mark) { continue }
            let path = ConfigPath(component.path.components + problem.steps)
            if asWarnings {
                warnings.append(ConfigError(file: file, mark: mark, path: path, message: problem.message))
            } else {
                error(mark, path, problem.message)
            }
        }
    }

    /// Each `inputs` entry must match a component: events come from sources, and from sinks that
    /// publish (the alerts sink's `alert` events carry its id).
    private mutating func checkInputs(sources: [LoadedSource], sinks: [LoadedSink]) {
        let enabledIDs = sources.filter(\.enabled).map(\.entry.id) + sinks.filter(\.enabled).map(\.entry.id)
        let allIDs = sources.map(\.entry.id) + sinks.map(\.entry.id)
        for sink in sinks {
            let inputsNode = sink.entry.node["inputs"]
            for (index, pattern) in sink.inputs.enumerated() {
                let element = inputsNode?.elements.flatMap { $0.indices.contains(index) ? $0[index] : nil } ?? inputsNode
                let mark = element?.mark ?? sink.entry.keyMark
                if let element, failed.contains(element.mark) { continue }
                let path = inputsNode?.elements == nil
                    ? sink.entry.path.appending("inputs") : sink.entry.path.appending("inputs").appending(index: index)
                guard !pattern.isEmpty else {
                    error(mark, path, "an input cannot be empty; name a source id or a glob like \"cache*\"")
                    continue
                }
                let candidates = (sink.enabled ? enabledIDs : allIDs).filter { $0 != sink.entry.id }
                let isGlob = InputFilter.isGlob(pattern)
                if candidates.contains(where: { isGlob ? InputFilter.glob(pattern, matches: $0) : $0 == pattern }) { continue }
                if sink.enabled, !isGlob, allIDs.contains(pattern) {
                    error(mark, path, "\(quoted(pattern)) is disabled (enabled: false); enable it or remove it from inputs")
                    continue
                }
                let sourceIDs = sources.filter { sink.enabled ? $0.enabled : true }.map(\.entry.id)
                let suggestion = isGlob ? nil : Suggestion.closest(to: pattern, in: candidates)
                let hint = suggestion.map { " (did you mean \"\($0)\"?)" }
                    ?? (sourceIDs.isEmpty ? "; there are no enabled sources" : "; sources: \(sourceIDs.joined(separator: ", "))")
                error(mark, path, "\(quoted(pattern)) matches no source\(hint)")
            }
        }
    }

    /// Two enabled sinks cannot listen on one port (port 0, "any free port", never clashes).
    private mutating func checkPorts(_ sinks: [LoadedSink]) {
        var taken: [Int: (id: String, mark: YAMLNode.Mark)] = [:]
        for sink in sinks where sink.enabled {
            guard let address = sink.config?.listenAddress, address.port != 0 else { continue }
            let mark = sink.entry.node["port"]?.mark ?? sink.entry.keyMark
            if let first = taken[address.port] {
                let path = sink.entry.node["port"] == nil ? sink.entry.path : sink.entry.path.appending("port")
                error(mark, path,
                      "port \(address.port) is already used by sink \"\(first.id)\" (line \(first.mark.line)); give each sink its own port")
            } else {
                taken[address.port] = (sink.entry.id, mark)
            }
        }
    }
}

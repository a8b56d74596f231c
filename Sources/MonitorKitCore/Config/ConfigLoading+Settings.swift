/// The shared keys of sources and sinks, and the plugin config of each.
extension ConfigLoading {
    mutating func loadSource(_ component: ComponentEntry) -> LoadedSource {
        var loaded = LoadedSource(entry: component)
        let type = pluginType(of: component, kind: .source)
        let keys = SourceKeys(
            enabled: decodeKey("enabled", as: Bool.self, of: component),
            interval: decodeKey("interval", as: Duration.self, of: component),
            jitter: decodeKey("jitter", as: Duration.self, of: component),
            timeout: decodeKey("timeout", as: Duration.self, of: component))
        loaded.enabled = keys.enabled ?? true
        guard let type, let pluginType = registry.sources[type] else { return loaded }
        loaded.config = decodeSourceConfig(pluginType, component)
        if keys.isComplete(in: component.node), let timing = timing(keys, component) {
            loaded.settings = SourceSettings(
                type: type, enabled: loaded.enabled, interval: timing.interval, jitter: timing.jitter, timeout: timing.timeout)
        }
        return loaded
    }

    mutating func loadSink(_ component: ComponentEntry) -> LoadedSink {
        var loaded = LoadedSink(entry: component)
        let type = pluginType(of: component, kind: .sink)
        let keys = SinkKeys(
            enabled: decodeKey("enabled", as: Bool.self, of: component),
            inputs: decodeKey("inputs", as: InputList.self, of: component),
            buffer: decodeKey("buffer", as: BufferKeys.self, of: component))
        loaded.enabled = keys.enabled ?? true
        loaded.inputs = keys.inputs?.patterns ?? []
        guard let type, let pluginType = registry.sinks[type] else { return loaded }
        loaded.config = decodeSinkConfig(pluginType, component)
        if keys.isComplete(in: component.node) {
            let buffer = keys.buffer?.policy(default: pluginType.defaultBuffer) ?? pluginType.defaultBuffer
            loaded.settings = SinkSettings(type: type, enabled: loaded.enabled, inputs: InputFilter(loaded.inputs), buffer: buffer)
        }
        return loaded
    }

    private mutating func decodeSourceConfig<C: SourceConfig>(_ type: C.Type, _ component: ComponentEntry) -> (any SourceConfig)? {
        decodePlugin(C.self, component, sharedKeys: SourceSettings.keys)
    }

    private mutating func decodeSinkConfig<C: SinkConfig>(_ type: C.Type, _ component: ComponentEntry) -> (any SinkConfig)? {
        decodePlugin(C.self, component, sharedKeys: SinkSettings.keys)
    }

    /// The longest `interval` a source takes: one sample a day.
    static let longestInterval = Duration.seconds(86400)
    /// The shortest: a sample every few nanoseconds would only keep a core busy scheduling.
    static let shortestInterval = Duration.milliseconds(10)

    /// `interval` (default 5s) from 10ms to a day, `jitter` below the interval, and `timeout` (default: the
    /// interval) no longer than the interval, since a tick must end before the next is due.
    private mutating func timing(
        _ keys: SourceKeys, _ component: ComponentEntry
    ) -> (interval: Duration, jitter: Duration, timeout: Duration)? {
        let interval = keys.interval ?? .seconds(5)
        let intervalText = "interval (\(DurationParsing.format(interval))\(keys.interval == nil ? ", the default" : ""))"
        var valid = true
        if interval < Self.shortestInterval {
            problem(at: "interval", of: component,
                    "interval must be at least \(DurationParsing.format(Self.shortestInterval)), found \(DurationParsing.format(interval)); shorter ones only keep a core busy")
            return nil
        }
        if interval > Self.longestInterval {
            problem(at: "interval", of: component,
                    "interval must be at most \(DurationParsing.format(Self.longestInterval)), found \(DurationParsing.format(interval))")
            return nil
        }
        let jitter = keys.jitter ?? .zero
        if jitter >= interval {
            problem(at: "jitter", of: component,
                    "jitter (\(DurationParsing.format(jitter))) must be shorter than the \(intervalText); lower jitter or raise interval")
            valid = false
        }
        let timeout = keys.timeout ?? interval
        if timeout <= .zero {
            problem(at: "timeout", of: component, "timeout must be longer than 0s, found \(DurationParsing.format(timeout))")
            valid = false
        } else if timeout > interval {
            problem(at: "timeout", of: component,
                    "timeout (\(DurationParsing.format(timeout))) cannot be longer than the \(intervalText): a sample must end before the next one is due; lower timeout or raise interval")
            valid = false
        }
        return valid ? (interval, jitter, timeout) : nil
    }

    /// Records a problem with `key` of a component, at the key's value (or the component when absent).
    mutating func problem(at key: String, of component: ComponentEntry, _ message: String) {
        let mark = component.node[key]?.mark ?? component.keyMark
        error(mark, component.path.appending(key), message)
    }
}

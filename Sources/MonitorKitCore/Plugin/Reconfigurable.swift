/// A running source that can take a new config of its own type without being rebuilt (the
/// cache takes new limits and keeps its memory tier warm). A reload calls it when the source's
/// own keys changed; `false` means "rebuild me", and nothing may have changed then.
public protocol ReconfigurableSource: Source {
    func reconfigure(to config: any SourceConfig) async -> Bool
}

/// A running sink that can take a new config of its own type without being rebuilt (the alerts
/// sink swaps its rule list and keeps the state of rules that stayed). `false`: rebuild it, and
/// nothing may have changed then.
public protocol ReconfigurableSink: Sink {
    func reconfigure(to config: any SinkConfig) async -> Bool
}

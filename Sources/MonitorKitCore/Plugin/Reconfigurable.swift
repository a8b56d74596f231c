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

/// A running sink that holds the content of files its config names (the http sink's TLS
/// certificate and key). A reload that keeps the sink, its keys unchanged, hands it the config
/// as just read, with the files read again, so it can serve what they hold now.
public protocol FileReadingSink: Sink {
    func reread(_ config: any SinkConfig) async -> FileReread
}

/// What a ``FileReadingSink`` did with the files a reload read again.
public enum FileReread: Sendable, Equatable {
    /// They hold what the sink serves already.
    case unchanged
    /// The sink serves their new content; the message says what changed.
    case updated(String)
    /// The sink could not use them and serves what it had; the message says why.
    case failed(String)
}

/// The framework itself; `version` is what `monitord --version` prints.
public enum MonitorKit { public static let version = "0.1.0" }

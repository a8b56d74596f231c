public enum MonitorKit { public static let version = "0.1.0" }

/// Where the alerts sink delivers firing and resolved alerts.
///
/// ```yaml
/// notifiers:
///   - { type: alertmanager, url: "http://127.0.0.1:9093" }
///   - { type: webhook, url: "https://hooks.example.com/monitord", retries: 5, send_resolved: false }
///   - { type: alertmanager, url: "https://am.internal:9093", ca_file: /etc/monitord/am-ca.crt,
///       cert_file: /etc/monitord/am-client.crt, key_file: /etc/monitord/am-client.key }
/// ```
public struct NotifierConfig: Sendable, Equatable, Decodable {
    /// Where notifications go: a plain webhook or an Alertmanager.
    public enum Kind: String, Sendable, Equatable, Decodable, CaseIterable {
        /// POST of Alertmanager's webhook payload (version "4") to `url`.
        case webhook
        /// POST of a JSON list of alerts to `<url>/api/v2/alerts` of a real Alertmanager.
        case alertmanager
    }

    /// Which kind of receiver.
    public var kind: Kind
    /// The receiver name in webhook payloads and in logs (default: the type).
    public var name: String
    /// The receiver's URL (`http` or `https`).
    public var url: String
    /// How long one attempt may take.
    public var timeout: Duration
    /// Attempts after the first one when the receiver fails (5xx, 429, timeout, refused).
    public var retries: Int
    /// The wait before the first retry; doubled for each next one, at most a minute.
    public var backoff: Duration
    /// How often a still-firing alert is sent again. Alertmanager forgets an alert that is not
    /// re-sent within its `resolve_timeout` (5m by default), hence its shorter default.
    public var repeatInterval: Duration
    /// Whether the resolution of an alert is sent too.
    public var sendResolved: Bool
    /// Extra request headers, e.g. `Authorization: "Bearer ${HOOK_TOKEN}"`.
    public var headers: [String: String]
    /// For an `https` URL: the CA that signed the receiver's certificate (else the system's trust store).
    public var caFile: String?
    /// For a receiver that asks for client certificates (Alertmanager behind mutual TLS): ours, and its key.
    public var certFile: String?
    public var keyFile: String?

    /// A notifier with every key given in code; the defaults are the documented ones.
    public init(kind: Kind, name: String? = nil, url: String, timeout: Duration = .seconds(5), retries: Int = 3,
                backoff: Duration = .milliseconds(500), repeatInterval: Duration? = nil, sendResolved: Bool = true,
                headers: [String: String] = [:], caFile: String? = nil, certFile: String? = nil, keyFile: String? = nil) {
        self.kind = kind
        self.name = name ?? kind.rawValue
        self.url = url
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.repeatInterval = repeatInterval ?? Self.defaultRepeat(kind)
        self.sendResolved = sendResolved
        self.headers = headers
        self.caFile = caFile
        self.certFile = certFile
        self.keyFile = keyFile
    }

    static func defaultRepeat(_ kind: Kind) -> Duration {
        kind == .alertmanager ? .seconds(60) : .seconds(4 * 3600)
    }

    /// The address the POST goes to.
    var endpoint: String {
        switch kind {
        case .webhook: url
        case .alertmanager: (url.hasSuffix("/") ? String(url.dropLast()) : url) + "/api/v2/alerts"
        }
    }

    enum CodingKeys: String, CodingKey {
        case kind = "type"
        case name, url, timeout, retries, backoff
        case repeatInterval = "repeat_interval"
        case sendResolved = "send_resolved"
        case headers
        case caFile = "ca_file"
        case certFile = "cert_file"
        case keyFile = "key_file"
    }

    /// Decodes one `notifiers:` entry, each value checked.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guard let kind = Kind(rawValue: try c.decode(String.self, forKey: .kind)) else {
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: c, debugDescription: "unknown notifier type; use webhook or alertmanager")
        }
        let url = try c.decode(String.self, forKey: .url)
        guard url.hasPrefix("http://") || url.hasPrefix("https://"), url.count > 8 else {
            throw DecodingError.dataCorruptedError(
                forKey: .url, in: c, debugDescription: "url \"\(url)\" must start with http:// or https://, e.g. http://127.0.0.1:9093")
        }
        let timeout = try c.decodeIfPresent(Duration.self, forKey: .timeout, in: .milliseconds(1) ... .seconds(600)) ?? .seconds(5)
        let retries = try c.decodeIfPresent(Int.self, forKey: .retries, in: 0...20) ?? 3
        let backoff = try c.decodeIfPresent(Duration.self, forKey: .backoff, in: .zero ... .seconds(600)) ?? .milliseconds(500)
        let repeatInterval = try c.decodeIfPresent(Duration.self, forKey: .repeatInterval, in: .seconds(1) ... .seconds(30 * 86400))
        let caFile = try c.decodeIfPresent(String.self, forKey: .caFile)
        let certFile = try c.decodeIfPresent(String.self, forKey: .certFile)
        let keyFile = try c.decodeIfPresent(String.self, forKey: .keyFile)
        for (key, file) in [(CodingKeys.caFile, caFile), (.certFile, certFile), (.keyFile, keyFile)] {
            guard let file else { continue }
            guard url.hasPrefix("https://") else {
                throw DecodingError.dataCorruptedError(
                    forKey: key, in: c, debugDescription: "\(key.rawValue) is for an https:// url, and url is \(url)")
            }
            if let problem = NotifierTLS.problem(with: file, as: key == .keyFile ? .key : .certificates) {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "\(key.rawValue): \(problem)")
            }
        }
        if (certFile == nil) != (keyFile == nil) {
            throw DecodingError.dataCorruptedError(
                forKey: certFile == nil ? .keyFile : .certFile, in: c,
                debugDescription: "cert_file and key_file go together: the client certificate and its private key")
        }
        if let certFile, let keyFile, let problem = NotifierTLS.mismatch(certFile: certFile, keyFile: keyFile) {
            throw DecodingError.dataCorruptedError(forKey: .keyFile, in: c, debugDescription: "key_file: \(problem)")
        }
        self.init(
            kind: kind, name: try c.decodeIfPresent(String.self, forKey: .name), url: url, timeout: timeout,
            retries: retries, backoff: backoff, repeatInterval: repeatInterval,
            sendResolved: try c.decodeIfPresent(Bool.self, forKey: .sendResolved) ?? true,
            headers: try c.decodeIfPresent([String: String].self, forKey: .headers) ?? [:],
            caFile: caFile, certFile: certFile, keyFile: keyFile)
    }
}

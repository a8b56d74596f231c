import MonitorKitCore

/// The JSON bodies the notifiers POST.
enum NotificationPayload {
    /// Alertmanager's "zero time", which its webhook payloads carry as `endsAt` of a firing alert.
    static let zeroTime = "0001-01-01T00:00:00Z"

    /// Alertmanager's webhook shape, version "4": one group per alert name.
    static func webhook(_ notice: NotifierMessage, receiver: String, externalURL: String?) -> [UInt8] {
        let status = notice.status == .resolved ? "resolved" : "firing"
        var w = JSONWriter(capacity: 1024)
        w.writeRaw(#"{"version":"4","groupKey":"#)
        w.write(string: "{}:{alertname=\"\(notice.alertname)\"}")
        w.writeRaw(#","truncatedAlerts":0,"status":""#)
        w.writeRaw(status)
        w.writeRaw(#"","receiver":"#)
        w.write(string: receiver)
        w.writeRaw(#","groupLabels":"#)
        w.write(["alertname": .string(notice.alertname)] as Fields)
        w.writeRaw(#","commonLabels":"#)
        w.write(notice.labels.fields)
        w.writeRaw(#","commonAnnotations":"#)
        w.write(notice.annotations.fields)
        w.writeRaw(#","externalURL":"#)
        w.write(string: externalURL ?? "")
        w.writeRaw(#","alerts":[{"status":""#)
        w.writeRaw(status)
        w.writeRaw(#"","labels":"#)
        w.write(notice.labels.fields)
        w.writeRaw(#","annotations":"#)
        w.write(notice.annotations.fields)
        w.writeRaw(#","startsAt":"#)
        w.write(string: RFC3339Timestamp.string(notice.startsAt))
        w.writeRaw(#","endsAt":"#)
        w.write(string: notice.endsAt.map(RFC3339Timestamp.string) ?? zeroTime)
        w.writeRaw(#","generatorURL":"#)
        w.write(string: externalURL ?? "")
        w.writeRaw(#","fingerprint":"#)
        w.write(string: notice.fingerprint)
        w.writeRaw("}]}")
        return w.bytes
    }

    /// Alertmanager's `POST /api/v2/alerts` body: a list of postable alerts. A firing alert has no
    /// `endsAt`, so Alertmanager keeps it until `resolve_timeout` unless it is sent again.
    static func alertmanager(_ notice: NotifierMessage, externalURL: String?) -> [UInt8] {
        var w = JSONWriter(capacity: 512)
        w.writeRaw(#"[{"labels":"#)
        w.write(notice.labels.fields)
        w.writeRaw(#","annotations":"#)
        w.write(notice.annotations.fields)
        w.writeRaw(#","startsAt":"#)
        w.write(string: RFC3339Timestamp.string(notice.startsAt))
        if let endsAt = notice.endsAt {
            w.writeRaw(#","endsAt":"#)
            w.write(string: RFC3339Timestamp.string(endsAt))
        }
        if let externalURL, !externalURL.isEmpty {
            w.writeRaw(#","generatorURL":"#)
            w.write(string: externalURL)
        }
        w.writeRaw("}]")
        return w.bytes
    }
}

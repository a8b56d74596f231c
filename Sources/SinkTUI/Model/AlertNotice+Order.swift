import MonitorKitCore

extension AlertNotice {
    var isFiring: Bool { state == .firing }

    /// Firing before pending, then the most severe first, then by name.
    static func displayOrder(_ a: AlertNotice, _ b: AlertNotice) -> Bool {
        if a.isFiring != b.isFiring { return a.isFiring }
        if a.severityRank != b.severityRank { return a.severityRank < b.severityRank }
        return a.alertname < b.alertname
    }

    var severityRank: Int {
        switch severity.lowercased() {
        case "critical", "page", "error": 0
        case "warning", "warn": 1
        case "info": 2
        default: 3
        }
    }
}

import MonitorKitCore

extension SystemFigures {
    /// The fields of a `system` sample watching filesystems under `paths` names.
    static func descriptors(paths: [String]) -> [MetricDescriptor] {
        var out = [
            MetricDescriptor(
                "resident_memory_bytes", .gauge, .bytes, help: "Resident memory of the monitord process.",
                export: MetricExport(family: "system_resident_memory", help: "Resident memory of the monitord process."),
                display: MetricDisplay(
                    "Resident memory", .bytes, card: 1,
                    chart: MetricChart(group: "memory", title: "Resident memory over time", series: "Resident"))),
            MetricDescriptor(
                "cpu_seconds", .counter, .seconds, help: "CPU time monitord has used, user and system, since it started.",
                export: MetricExport(family: "system_cpu", help: "CPU time monitord has used, user and system."),
                display: MetricDisplay("CPU time", .duration, card: 2)),
            MetricDescriptor(
                "open_fds", .gauge, .items, help: "Open file descriptors of the monitord process.",
                export: MetricExport(family: "system_open_fds", help: "Open file descriptors of the monitord process."),
                display: MetricDisplay("Open files", .count, card: 3, detail: "of {max_fds} allowed")),
            MetricDescriptor(
                "max_fds", .info, .items, help: "The process's limit on open file descriptors (ulimit -n).",
                export: MetricExport(family: "system_max_fds", help: "The process's limit on open file descriptors (ulimit -n)."),
                display: MetricDisplay("File limit", .count)),
            MetricDescriptor(
                "fd_usage_ratio", .gauge, .ratio, help: "Open file descriptors over the limit (0..1).",
                export: MetricExport(family: "system_fd_usage", help: "Open file descriptors over the limit (0..1)."),
                display: MetricDisplay("File use", .percent, bands: MetricBands(good: 0.5, fair: 0.8, higherIsBetter: false, names: ["Low", "High", "Near the limit"]))),
            MetricDescriptor(
                "threads", .gauge, .items, help: "Threads of the monitord process.",
                export: MetricExport(family: "system_threads", help: "Threads of the monitord process."),
                display: MetricDisplay("Threads", .count, card: 4)),
        ]
        let free = "Bytes available to monitord on the filesystem of a watched directory."
        let size = "Size of the filesystem of a watched directory."
        let ratio = "Available over total bytes on the filesystem of a watched directory (0..1)."
        let inodes = "Inodes available to monitord on the filesystem of a watched directory."
        for (index, name) in paths.enumerated() {
            let label = [MetricLabel("path", name)]
            let card = 5 + index
            out += [
                MetricDescriptor(
                    name + "_fs_free_ratio", .gauge, .ratio, help: "Share of the filesystem of \(name) still free (0..1).",
                    export: MetricExport(family: "system_filesystem_free", help: ratio, labels: label),
                    display: MetricDisplay(
                        "Free on \(name)", .percent, card: card, detail: "{\(name)_fs_free_bytes} of {\(name)_fs_size_bytes}",
                        chart: MetricChart(group: "filesystems", title: "Free space over time", series: name),
                        bands: MetricBands(good: 0.2, fair: 0.1, names: ["Plenty", "Low", "Almost full"]))),
                MetricDescriptor(
                    name + "_fs_free_bytes", .gauge, .bytes, help: "Bytes still free on the filesystem of \(name).",
                    export: MetricExport(family: "system_filesystem_free", help: free, labels: label),
                    display: MetricDisplay("Free bytes on \(name)", .bytes)),
                MetricDescriptor(
                    name + "_fs_size_bytes", .gauge, .bytes, help: "Size of the filesystem of \(name).",
                    export: MetricExport(family: "system_filesystem_size", help: size, labels: label),
                    display: MetricDisplay("Size of \(name)", .bytes)),
                MetricDescriptor(
                    name + "_fs_free_inodes", .gauge, .items, help: "Inodes still free on the filesystem of \(name) (one per cache entry).",
                    export: MetricExport(family: "system_filesystem_free_inodes", help: inodes, labels: label),
                    display: MetricDisplay("Free inodes on \(name)", .count)),
                MetricDescriptor(name + "_fs_path", .info, .none, help: "The directory measured for \(name): it, or its nearest existing parent."),
            ]
        }
        return out
    }
}

import MonitorKitCore

/// Every plugin monitord knows. A new plugin is a new module plus one line here.
let plugins: PluginRegistry = {
    var registry = PluginRegistry()
    registry.register(source: InternalSourceConfig.self)
    return registry
}()

import CacheSource
import SystemSource
import MonitorKitCore
import SinkAlert
import SinkHTTP
import SinkLog
import SinkTUI

/// Every plugin monitord knows. A new plugin is a new module plus one line here.
let plugins: PluginRegistry = {
    var registry = PluginRegistry()
    registry.register(source: CacheSourceConfig.self)
    registry.register(source: InternalSourceConfig.self)
    registry.register(source: SystemSourceConfig.self)
    registry.register(sink: HTTPSinkConfig.self)
    registry.register(sink: LogSinkConfig.self)
    registry.register(sink: AlertSinkConfig.self)
    registry.register(sink: TUISinkConfig.self)
    return registry
}()

/// Publishes events on behalf of one component.
public struct Emitter: Sendable {
    /// The component id stamped on every event.
    public let source: String
    let bus: EventBus

    /// An emitter publishing to `bus` as the component `source`.
    public init(source: String, bus: EventBus) {
        self.source = source
        self.bus = bus
    }

    /// Publishes an event from this component. Waits only when a `block` subscriber is full.
    public func emit(_ name: String, kind: Event.Kind = .event, fields: Fields = Fields()) async {
        await bus.publish(Event(source: source, name: name, kind: kind, fields: fields))
    }

    /// Publishes a ready-made event as it is.
    public func emit(_ event: Event) async {
        await bus.publish(event)
    }
}

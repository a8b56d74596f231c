/// What ``ExchangeTracker`` (behind the HTTP codec) tells ``RequestDeadlineHandler`` (in front of
/// it, where only bytes are seen), as outbound user events travelling towards the socket.
enum ExchangeEvent: Sendable {
    /// The request's head and body have been read in full.
    case requestRead
    /// The response's last part has been written.
    case responseEnded
}

import MonitorKitCore

/// The life of one alert: inactive → pending (condition holds, `for` not yet passed) → firing →
/// resolved (condition ended, `keep_firing_for` passed). A pending alert whose condition ends
/// goes back to inactive; a resolved one starts over at pending.
public typealias AlertState = AlertNotice.State

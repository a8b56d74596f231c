import Testing
@testable import SinkTUI

@Test func zzDebugPrint() {
    for (w, h) in [(80, 24), (120, 40)] {
        var state = Fixtures.state()
        state.apply(Fixtures.alert("LowHitRate", state: "pending", severity: "warning", fingerprint: "a"))
        let lines = DashboardRenderer(width: w, height: h, now: Fixtures.t0 + 2).render(state)
        print(String(repeating: "=", count: w))
        for l in lines { print(l.text + "|") }
    }
}

import Testing

@testable import SinkHTTP

@Suite struct HostPolicyTests {
    let policy = HostPolicy(host: "Cache.Example", allowedHosts: ["*.svc.cluster.local", "api.internal"])

    @Test func theNamesTheServerIsKnownByAreServed() {
        for host in [
            "127.0.0.1", "127.0.0.1:8000", "10.0.0.7", "[::1]", "[::1]:8000", "[fe80::1]:80", "localhost", "LOCALHOST.:8000",
            "app.localhost", "cache.example", "CACHE.EXAMPLE:443", "monitord.ns.svc.cluster.local", "api.internal:1",
        ] {
            #expect(policy.allows(hostHeader: host), "Host: \(host)")
        }
    }

    @Test func noHostIsServedBecauseNoBrowserSendsNone() {
        #expect(policy.allows(hostHeader: nil))
        #expect(policy.allows(hostHeader: " "))
        #expect(policy.allows(hostHeader: "localhost:"))
    }

    @Test func otherNamesAreRefused() {
        for host in [
            "evil.example", "evil.example:8000", "localhost.evil.example", "127.0.0.1.nip.io", "0x7f.1", "127.1",
            "[evil.example]", "[::1]evil", "[::1", "svc.cluster.local", "cache.example.evil", "api.internal.evil",
            // Found by attacking the first version: junk around a name that ends in .localhost, or in the port.
            "evil.com/.localhost", "evil.com?.localhost", "evil.com#.localhost", "localhost:80:evil", "localhost:99999",
            "[::1]:x@evil.com", "localhost:8x", "a b.localhost",
        ] {
            #expect(!policy.allows(hostHeader: host), "Host: \(host)")
        }
    }

    @Test func loopbackBindsAreTheOnesNoOtherMachineReaches() {
        for host in ["127.0.0.1", "127.8.9.10", "localhost", "::1", "[::1]", "a.localhost"] {
            #expect(HostPolicy.isLoopback(host), "\(host)")
        }
        for host in ["0.0.0.0", "::", "192.168.1.2", "myhost", "128.0.0.1", "::2"] {
            #expect(!HostPolicy.isLoopback(host), "\(host)")
        }
    }
}

import Testing

@testable import SinkHTTP

@Suite struct DashboardPolicyTests {
    @Test func aHashSourceIsTheBase64OfSHA256() {
        // FIPS 180-2's test vector for "abc".
        #expect(DashboardPolicy.hashSource(Array("abc".utf8)[...]) == "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='")
        #expect(DashboardPolicy.base64([]) == "")
        #expect(DashboardPolicy.base64(Array("f".utf8)) == "Zg==")
        #expect(DashboardPolicy.base64(Array("fo".utf8)) == "Zm8=")
        #expect(DashboardPolicy.base64(Array("foo".utf8)) == "Zm9v")
    }

    @Test func thePolicyAllowsEveryInlineElementOfThePageAndNothingElse() {
        let page = PackageResources.index_html
        let text = String(decoding: page, as: UTF8.self)
        let scripts = DashboardPolicy.inlineBodies(of: "script", in: page)
        let styles = DashboardPolicy.inlineBodies(of: "style", in: page)
        // Every script and style element is hashed: one with attributes would be left out and blocked.
        #expect(scripts.count == text.components(separatedBy: "<script").count - 1)
        #expect(styles.count == text.components(separatedBy: "<style").count - 1)
        #expect(!scripts.isEmpty && !styles.isEmpty)
        let policy = DashboardPolicy.contentSecurityPolicy(for: page)
        for body in scripts + styles {
            #expect(policy.contains(DashboardPolicy.hashSource(body)))
        }
        #expect(!policy.contains("unsafe-inline"))
        #expect(policy.hasPrefix("default-src 'none'; "))
        // Inline handlers and style attributes would need unsafe-inline: the page has none.
        #expect(!text.contains(" style=\""))
        #expect(text.firstMatch(of: /\son[a-z]+="/) == nil)
    }
}

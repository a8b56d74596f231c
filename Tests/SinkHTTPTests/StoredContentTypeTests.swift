import Testing

@testable import SinkHTTP

@Suite struct StoredContentTypeTests {
    @Test func typesABrowserWouldRunAreActive() {
        for type in [
            "text/html", "TEXT/HTML; charset=utf-8", " text/html ", "application/xhtml+xml", "image/svg+xml", "text/xml",
            "application/xml", "application/rss+xml", "text/javascript", "application/javascript", "application/ecmascript",
            "text/xsl", "application/pdf", "multipart/x-mixed-replace", "audio/vnd.thing+xml",
            // Malformed or several: a browser may take the last or sniff, so they are active too.
            "text/plain, text/html", "text/plain,text/html", "", "html", "text/", "/html", "text/plain/html", "\"text/plain\"",
            "text/pl ain",
            // Found by attack: a comma inside the parameters is still a list to Chromium, which rendered the last type.
            "text/plain;,text/html", "text/plain; a=b, text/html", "image/png; x=\"a,text/html\"",
        ] {
            #expect(StoredContentType.isActive(type), "\(type)")
        }
    }

    @Test func mediaAndDataAreShownInline() {
        for type in [
            "application/octet-stream", "application/json", "text/plain", "text/plain; charset=utf-8", "text/csv", "text/vtt",
            "image/png", "image/jpeg", "image/webp", "audio/wav", "audio/mpeg", "video/mp4", "Audio/OGG",
        ] {
            #expect(!StoredContentType.isActive(type), "\(type)")
        }
    }
}

import Testing
@testable import SinkTUI

@Suite struct ServerSentEventParserTests {
    @Test func eventsEndAtABlankLineAndCommentsAreSkipped() {
        var parser = ServerSentEventParser()
        let messages = parser.feed(Array("retry: 3000\n: connected\n\nevent: cache.stats\ndata: {\"a\":1}\n\n: heartbeat\n\n".utf8))
        #expect(messages == [.init(event: "cache.stats", data: "{\"a\":1}")])
        #expect(parser.retryMilliseconds == 3000)
    }

    @Test func aMessageSplitAcrossChunksArrivesWhole() {
        var parser = ServerSentEventParser()
        let text = Array("data: {\"source\":\"cache\"}\n\ndata: second\n\n".utf8)
        var messages: [ServerSentEventParser.Message] = []
        for byte in text { messages += parser.feed([byte]) }
        #expect(messages.map(\.data) == ["{\"source\":\"cache\"}", "second"])
        #expect(messages.map(\.event) == ["message", "message"])
    }

    @Test func crlfAndCrLineEndingsAndMultiLineData() {
        var parser = ServerSentEventParser()
        #expect(parser.feed(Array("data: one\r\ndata:two\r\r".utf8)) == [.init(event: "message", data: "one\ntwo")])
        // A CR at the end of one chunk and the LF at the start of the next are one line ending.
        #expect(parser.feed(Array("data: x\r".utf8)).isEmpty)
        #expect(parser.feed(Array("\n\n".utf8)) == [.init(event: "message", data: "x")])
    }
}

import HTTPTypes
import Hummingbird
import LoanRiskCore
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTPTypes

/// Answers `Expect: 100-continue` the way the client hopes: `100 Continue` as soon as the
/// handler starts reading the body, and no interim answer at all when the handler decides
/// from the headers alone (413 for a declared length over the limit, 415 for the wrong
/// content type, 403 without a session…) — then the final answer comes at once, the client
/// never sends the body, and the connection is closed after it so the unsent body cannot be
/// mistaken for a next request.
///
/// Without it, curl and other clients wait a second (their timeout) before sending every
/// upload. The decision is each route's, not a table of paths here: the interim answer is
/// tied to the body being read. Run by `EveryRequestMiddleware`: `prepare` before the route,
/// `finish` on its answer.
enum ExpectContinue {
    /// The request with a body that sends `100 Continue` on its first read, and the interim
    /// answer's state; the request unchanged and nil when the client expects nothing.
    static func prepare(_ request: Request, context: AppRequestContext) -> (Request, InterimContinue?) {
        guard let expect = request.headers.firstValue(.expect), expect.lowercased() == "100-continue" else { return (request, nil) }
        let interim = InterimContinue(channel: context.channel)
        var request = request
        request.body = RequestBody(asyncSequence: ContinueOnFirstRead(base: request.body, interim: interim))
        return (request, interim)
    }

    /// Closes the connection after an answer given without reading the body.
    static func finish(_ response: inout Response, interim: InterimContinue?) {
        if let interim, !interim.wasSent { response.headers[.connection] = "close" }
    }
}

/// Sends one `100 Continue` on a connection, the first time it is asked to.
final class InterimContinue: Sendable {
    private let channel: any Channel
    private let sent = NIOLockedValueBox(false)

    init(channel: any Channel) { self.channel = channel }

    var wasSent: Bool { sent.withLockedValue { $0 } }

    func send() async throws {
        let first = sent.withLockedValue { sent in
            defer { sent = true }
            return !sent
        }
        guard first else { return }
        try await channel.writeAndFlush(HTTPResponsePart.head(HTTPResponse(status: .continue))).get()
    }
}

/// A request body that asks for the client's body (sends `100 Continue`) before its first read.
struct ContinueOnFirstRead: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: RequestBody
    let interim: InterimContinue

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let interim: InterimContinue

        mutating func next() async throws -> ByteBuffer? {
            try await interim.send()
            return try await base.next()
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), interim: interim)
    }
}

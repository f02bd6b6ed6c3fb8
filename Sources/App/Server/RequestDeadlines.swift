import HTTPTypes
import Logging
import NIOCore
import NIOHTTPTypes

/// Deadlines for the parts of a request a client controls: its head must arrive within
/// `headTimeout` of its first byte, and its body must keep up a minimum rate (judged over
/// `bodyWindow`) and never stall for a whole window. A client that misses either is
/// answered 408 (when no answer has begun) and disconnected; idle keep-alive connections
/// are Hummingbird's `idleTimeout`'s to close.
///
/// Two handlers share one `RequestClock`: `RequestDeadlines` sits after the HTTP decoder and
/// sees where heads and bodies begin and end; it installs `RequestBytesWatch` at the front
/// of the pipeline, where the raw bytes arrive, because a head that is still arriving a byte
/// at a time is invisible after the decoder.
///
/// Only time the server spends waiting for the client counts against a body: while the
/// application has not asked for more (it is busy with what arrived), the window stands still.
final class RequestDeadlines: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let settings: ConnectionSettings
    private let logger: Logger
    private let clock = RequestClock()
    /// How often a body's progress is looked at.
    private static let tick = TimeAmount.milliseconds(250)

    init(settings: ConnectionSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let watch = RequestBytesWatch(clock: clock, headTimeout: TimeAmount(settings.headTimeout), logger: logger)
        try? context.pipeline.syncOperations.addHandler(watch, position: .first)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            clock.begin(.body)
            clock.responseStarted = false
            scheduleBodyCheck(context: context, generation: clock.generation)
        case .body:
            break
        case .end:
            clock.begin(.handling)
        }
        context.fireChannelRead(data)
    }

    func read(context: ChannelHandlerContext) {
        clock.demandPending = true
        context.read()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            if head.status.kind != .informational { clock.responseStarted = true }
        case .body:
            break
        case .end:
            // The next request's clock starts with its first byte.
            if clock.phase == .handling { clock.begin(.waiting) }
        }
        context.write(data, promise: promise)
    }

    private func scheduleBodyCheck(context: ChannelHandlerContext, generation: Int) {
        context.eventLoop.assumeIsolated().scheduleTask(in: Self.tick) { [self] in
            guard clock.generation == generation, clock.phase == .body else { return }
            if checkBody() {
                scheduleBodyCheck(context: context, generation: generation)
            } else {
                logger.notice("slow request body dropped", metadata: ["minimumBytesPerSecond": .stringConvertible(settings.bodyMinimumRate)])
                clock.timeOut(context: context)
            }
        }
    }

    /// Advances the body's window by one tick of waiting; false when the body is too slow.
    private func checkBody() -> Bool {
        guard clock.demandPending else { return true }
        let tick = Duration(Self.tick)
        clock.waitedInWindow += tick
        clock.waitedSinceByte += tick
        if clock.waitedSinceByte >= settings.bodyWindow { return false }
        guard clock.waitedInWindow >= settings.bodyWindow else { return true }
        let seconds = Double(settings.bodyWindow.components.seconds)
        let enough = clock.bytesInWindow >= Int(Double(settings.bodyMinimumRate) * seconds)
        clock.waitedInWindow = .zero
        clock.bytesInWindow = 0
        return enough
    }
}

/// Where a connection's current request is, and what its body has done in this window.
/// Confined to the connection's event loop.
final class RequestClock {
    enum Phase { case waiting, head, body, handling }

    private(set) var phase = Phase.waiting
    /// Changes with every phase, so a check scheduled for an earlier one knows it is stale.
    private(set) var generation = 0
    var demandPending = false
    var responseStarted = false
    var bytesInWindow = 0
    var waitedInWindow = Duration.zero
    var waitedSinceByte = Duration.zero

    func begin(_ next: Phase) {
        phase = next
        generation &+= 1
        bytesInWindow = 0
        waitedInWindow = .zero
        waitedSinceByte = .zero
    }

    /// 408 when nothing has been answered yet (written below the HTTP encoder, which would
    /// refuse a second head), then the connection closes.
    func timeOut(context: ChannelHandlerContext) {
        begin(.handling)
        guard !responseStarted else {
            context.close(promise: nil)
            return
        }
        responseStarted = true
        if let front = try? context.pipeline.syncOperations.context(handlerType: RequestBytesWatch.self) {
            RequestBytesWatch.writeTimeout(context: front)
        }
        context.close(promise: nil)
    }
}

/// The front of the pipeline: notices a request's first byte (starting its head deadline)
/// and counts body bytes as they arrive.
final class RequestBytesWatch: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let clock: RequestClock
    private let headTimeout: TimeAmount
    private let logger: Logger

    init(clock: RequestClock, headTimeout: TimeAmount, logger: Logger) {
        self.clock = clock
        self.headTimeout = headTimeout
        self.logger = logger
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let bytes = unwrapInboundIn(data).readableBytes
        clock.demandPending = false
        switch clock.phase {
        case .waiting:
            clock.begin(.head)
            let generation = clock.generation
            context.eventLoop.assumeIsolated().scheduleTask(in: headTimeout) { [self] in
                guard clock.generation == generation, clock.phase == .head else { return }
                logger.notice("request head too slow: answered 408")
                clock.timeOut(context: context)
            }
        case .body:
            clock.bytesInWindow += bytes
            clock.waitedSinceByte = .zero
        case .head, .handling:
            break
        }
        context.fireChannelRead(data)
    }

    static func writeTimeout(context: ChannelHandlerContext) {
        let text = "The request took too long to arrive; send it again.\n"
        let answer = "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(text.utf8.count)\r\n\r\n\(text)"
        context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: answer)), promise: nil)
    }
}

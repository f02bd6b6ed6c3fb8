import HTTPTypes
import LoanRiskCore
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
/// A timer is set only for a request that is still incomplete when the bytes that arrived
/// have been decoded — the ordinary request, whole in one read, sets none, so a busy server
/// does not fill its event loops' timer heaps with deadlines it will never need.
///
/// Only time the server spends waiting for the client counts against a body: while the
/// application has not asked for more (it is busy with what arrived), the window stands still.
final class RequestDeadlines: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let clock: RequestClock

    init(settings: ConnectionSettings, logger: Logger) {
        clock = RequestClock(settings: settings, logger: logger)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        try? context.pipeline.syncOperations.addHandler(RequestBytesWatch(clock: clock), position: .first)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            clock.begin(.body)
            clock.responseStarted = false
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
}

/// Where a connection's current request is, what its body has done in this window, and the
/// timers that watch it. Confined to the connection's event loop.
final class RequestClock {
    enum Phase { case waiting, head, body, handling }

    private let settings: ConnectionSettings
    private let logger: Logger
    private(set) var phase = Phase.waiting
    var demandPending = false
    var responseStarted = false
    private var bytesInWindow = 0
    private var waitedInWindow = Duration.zero
    private var waitedSinceByte = Duration.zero
    private var headTimer: Scheduled<Void>?
    private var bodyTimer: Scheduled<Void>?
    /// How often a body's progress is looked at.
    private static let tick = TimeAmount.milliseconds(250)

    init(settings: ConnectionSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    func begin(_ next: Phase) {
        if phase == .head, next != .head {
            headTimer?.cancel()
            headTimer = nil
        }
        if phase == .body, next != .body {
            bodyTimer?.cancel()
            bodyTimer = nil
        }
        phase = next
        bytesInWindow = 0
        waitedInWindow = .zero
        waitedSinceByte = .zero
    }

    func received(_ count: Int) {
        demandPending = false
        switch phase {
        case .waiting:
            begin(.head)
        case .body:
            bytesInWindow += count
            waitedSinceByte = .zero
        case .head, .handling:
            break
        }
    }

    /// After a read has been decoded: a head or body still incomplete gets its timer.
    /// `context` is the front handler's, where a 408 can be written below the encoder.
    func arm(context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        switch phase {
        case .head where headTimer == nil:
            headTimer = context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(settings.headTimeout)) { [self] in
                headTimer = nil
                guard phase == .head else { return }
                logger.notice("request head too slow: answered 408")
                timeOut(context: context)
            }
        case .body where bodyTimer == nil:
            scheduleBodyCheck(context: context)
        default:
            break
        }
    }

    func cancelTimers() {
        headTimer?.cancel()
        bodyTimer?.cancel()
        headTimer = nil
        bodyTimer = nil
    }

    private func scheduleBodyCheck(context: ChannelHandlerContext) {
        bodyTimer = context.eventLoop.assumeIsolated().scheduleTask(in: Self.tick) { [self] in
            bodyTimer = nil
            guard phase == .body else { return }
            if bodyKeepsUp() {
                scheduleBodyCheck(context: context)
            } else {
                logger.notice("slow request body dropped", metadata: ["minimumBytesPerSecond": .stringConvertible(settings.bodyMinimumRate)])
                timeOut(context: context)
            }
        }
    }

    /// Advances the body's window by one tick of waiting; false when the body is too slow.
    private func bodyKeepsUp() -> Bool {
        guard demandPending else { return true }
        let tick = Duration(Self.tick)
        waitedInWindow += tick
        waitedSinceByte += tick
        if waitedSinceByte >= settings.bodyWindow { return false }
        guard waitedInWindow >= settings.bodyWindow else { return true }
        let seconds = Double(settings.bodyWindow.components.seconds)
        let enough = bytesInWindow >= Int(Double(settings.bodyMinimumRate) * seconds)
        waitedInWindow = .zero
        bytesInWindow = 0
        return enough
    }

    /// 408 when nothing has been answered yet (written below the HTTP encoder, which would
    /// refuse a second head), then the connection closes.
    private func timeOut(context: ChannelHandlerContext) {
        begin(.handling)
        if !responseStarted {
            responseStarted = true
            let text = "The request took too long to arrive; send it again.\n"
            let answer = "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(text.utf8.count)\r\n\r\n\(text)"
            context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: answer)), promise: nil)
        }
        context.close(promise: nil)
    }
}

/// The front of the pipeline: notices a request's first byte (starting its head deadline),
/// counts body bytes as they arrive, and once what arrived has been decoded, arms the timer
/// the request still needs.
final class RequestBytesWatch: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let clock: RequestClock

    init(clock: RequestClock) { self.clock = clock }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        clock.received(unwrapInboundIn(data).readableBytes)
        context.fireChannelRead(data)
        clock.arm(context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        clock.cancelTimers()
        context.fireChannelInactive()
    }
}

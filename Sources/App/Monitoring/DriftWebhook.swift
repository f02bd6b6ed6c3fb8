import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// Delivers drift events to `DRIFT_WEBHOOK_URL` as a JSON POST (async-http-client), one at
/// a time in the order they happened. An attempt that gets no answer, or an answer other
/// than 2xx, is tried again after a backoff that doubles (1 s, 2 s, 4 s … by default) until
/// `attempts` tries; every attempt is kept in `webhook_delivery`, which `/monitoring` shows.
final class DriftWebhook: Service, Sendable {
    struct Settings: Sendable {
        var url: String
        var attempts = 5
        var backoff: Duration = .seconds(1)
        var timeout: TimeAmount = .seconds(10)
    }

    let settings: Settings
    private let store: MonitorStore
    private let metrics: AppMetrics
    private let logger: Logger
    private let events: AsyncStream<DriftEvent>
    private let enqueue: AsyncStream<DriftEvent>.Continuation

    init(settings: Settings, store: MonitorStore, metrics: AppMetrics, logger: Logger) {
        self.settings = settings
        self.store = store
        self.metrics = metrics
        self.logger = logger
        (events, enqueue) = AsyncStream.makeStream(of: DriftEvent.self, bufferingPolicy: .bufferingOldest(1_024))
        metrics.prepareWebhook()
    }

    /// Queues an event for delivery.
    func deliver(_ event: DriftEvent) {
        enqueue.yield(event)
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            for await event in self.events {
                await self.send(event)
            }
        }
    }

    /// Every attempt for one event, until one is delivered or the attempts are spent.
    func send(_ event: DriftEvent) async {
        guard let id = event.id else { return }
        let body = Self.payload(event)
        var wait = settings.backoff
        for attempt in 1...max(1, settings.attempts) {
            var delivery = WebhookDelivery(eventID: id, attempt: attempt, at: Date(), status: nil, error: nil, delivered: false)
            do {
                var request = HTTPClientRequest(url: settings.url)
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "User-Agent", value: "LoanRisk/\(AppVersion.current)")
                request.body = .bytes(ByteBuffer(bytes: body))
                let response = try await HTTPClient.shared.execute(request, timeout: settings.timeout)
                delivery.status = Int(response.status.code)
                delivery.delivered = (200..<300).contains(response.status.code)
                if !delivery.delivered { delivery.error = "The receiver answered \(response.status.code) \(response.status.reasonPhrase)." }
                _ = try? await response.body.collect(upTo: 64 * 1024)
            } catch {
                // A stop cut the attempt short: it is not the receiver's failure, so it is
                // neither logged as one nor retried.
                if Task.isCancelled {
                    logger.notice("drift webhook: stopped before the event was delivered", metadata: ["event": .stringConvertible(id)])
                    return
                }
                delivery.error = "No answer: \(error)"
            }
            metrics.webhookAttempt(outcome: delivery.delivered ? "delivered" : "failed")
            do {
                try await store.addDelivery(delivery)
            } catch {
                logger.error("drift webhook: could not keep the delivery log", metadata: ["error": .string("\(error)")])
            }
            if delivery.delivered { return }
            logger.warning("drift webhook attempt failed", metadata: [
                "event": .stringConvertible(id), "attempt": .stringConvertible(attempt), "error": .string(delivery.error ?? ""),
            ])
            guard attempt < settings.attempts else { break }
            do {
                try await Task.sleep(for: wait)
            } catch {
                return  // stopping
            }
            wait *= 2
        }
        logger.error("drift webhook: event not delivered", metadata: ["event": .stringConvertible(id), "attempts": .stringConvertible(settings.attempts)])
    }

    /// The JSON body: the event, and where to look.
    static func payload(_ event: DriftEvent) -> [UInt8] {
        struct Body: Encodable {
            var event = "drift"
            var id: Int64?
            var at: Date
            var model: String
            var version: String
            var input: String
            var psi: Double
            var band: String
            var window: Window
            var monitoring = "/monitoring"
            struct Window: Encodable {
                var applicants: Int
                var from: Date
                var to: Date
            }
        }
        let body = Body(
            id: event.id, at: event.at, model: event.modelName, version: event.modelVersion, input: event.input, psi: event.psi,
            band: event.band.rawValue, window: .init(applicants: event.windowApplicants, from: event.windowFrom, to: event.windowTo))
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        return (try? encoder.encode(body)).map { [UInt8]($0) } ?? []
    }
}

import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// Delivers drift events to `DRIFT_WEBHOOK_URL` as a JSON POST (async-http-client), one at
/// a time in the order they happened. An attempt that gets no answer, or an answer other
/// than 2xx, is tried again after a backoff that doubles (1 s, 2 s, 4 s … by default) until
/// `attempts` tries; every attempt is kept in `webhook_delivery`, which `/monitoring` shows.
package final class DriftWebhook: Service, Sendable {
    package struct Settings: Sendable {
        package var url: String
        package var attempts = 5
        package var backoff: Duration = .seconds(1)
        package var timeout: TimeAmount = .seconds(10)

        package init(url: String, attempts: Int = 5, backoff: Duration = .seconds(1), timeout: TimeAmount = .seconds(10)) {
            self.url = url
            self.attempts = attempts
            self.backoff = backoff
            self.timeout = timeout
        }
    }

    package let settings: Settings
    private let store: MonitorStore
    private let metrics: AppMetrics
    private let logger: Logger
    private let events: AsyncStream<DriftEvent>
    private let enqueue: AsyncStream<DriftEvent>.Continuation

    package init(settings: Settings, store: MonitorStore, metrics: AppMetrics, logger: Logger) {
        self.settings = settings
        self.store = store
        self.metrics = metrics
        self.logger = logger
        (events, enqueue) = AsyncStream.makeStream(of: DriftEvent.self, bufferingPolicy: .bufferingOldest(1_024))
        metrics.prepareWebhook()
    }

    /// Queues an event for delivery.
    package func deliver(_ event: DriftEvent) {
        enqueue.yield(event)
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            for await event in self.events {
                await self.send(event)
            }
        }
    }

    /// Every attempt for one event, until one is delivered or the attempts are spent.
    package func send(_ event: DriftEvent) async {
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
    package static func payload(_ event: DriftEvent) -> [UInt8] {
        struct Body: Encodable {
            package var event = "drift"
            package var id: Int64?
            package var at: Date
            package var model: String
            package var version: String
            package var input: String
            package var psi: Double
            package var band: String
            package var window: Window
            package var monitoring = "/monitoring"
            package struct Window: Encodable {
                package var applicants: Int
                package var from: Date
                package var to: Date
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

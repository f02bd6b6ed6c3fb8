import Foundation
import Scoring

/// A crossing into the major drift band by one measure (an input, or `score`) of one model
/// version's traffic window (`drift_event`).
public struct DriftEvent: Codable, Sendable, Equatable {
    package static let table = "drift_event"

    public var id: Int64?
    public var at: Date
    public var modelName: String
    public var modelVersion: String
    /// The input's name, or `score`.
    public var input: String
    public var psi: Double
    public var band: DriftBand
    /// The window the PSI was measured on: how many applicants, first and last scored.
    public var windowApplicants: Int
    public var windowFrom: Date
    public var windowTo: Date

    package enum CodingKeys: String, CodingKey {
        case id, at, input, psi, band
        case modelName = "model_name", modelVersion = "model_version"
        case windowApplicants = "window_applicants", windowFrom = "window_from", windowTo = "window_to"
    }
}

/// One attempt to deliver a drift event to `DRIFT_WEBHOOK_URL` (`webhook_delivery`).
public struct WebhookDelivery: Codable, Sendable, Equatable {
    package static let table = "webhook_delivery"

    public var id: Int64?
    public var eventID: Int64
    /// 1 for the first try.
    public var attempt: Int
    public var at: Date
    /// The receiver's HTTP status, when it answered.
    public var status: Int?
    /// Why the attempt failed, when it did (no answer, or a status other than 2xx).
    public var error: String?
    public var delivered: Bool

    package enum CodingKeys: String, CodingKey {
        case id, attempt, at, status, error, delivered
        case eventID = "event_id"
    }
}

/// A window's drift at one moment (`monitor_snapshot`): the sparklines' points.
public struct DriftSnapshot: Codable, Sendable, Equatable {
    package static let table = "monitor_snapshot"

    public var id: Int64?
    public var modelName: String
    public var modelVersion: String
    public var at: Date
    public var applicants: Int
    public var scorePSI: Double?
    /// JSON object: input name → PSI.
    public var inputPSI: String
    /// JSON array: the window's share of applicants per score bin (the reference's bins).
    public var scoreActual: String?

    package enum CodingKeys: String, CodingKey {
        case id, at, applicants
        case modelName = "model_name", modelVersion = "model_version"
        case scorePSI = "score_psi", inputPSI = "input_psi", scoreActual = "score_actual"
    }

    public var psiByInput: [String: Double] {
        (try? JSONDecoder().decode([String: Double].self, from: Data(inputPSI.utf8))) ?? [:]
    }
}

/// Requests, applicants and decisions of one model version through one channel in one
/// minute (`monitor_traffic`), added to as traffic comes.
public struct TrafficMinute: Codable, Sendable, Equatable {
    public var modelName: String
    public var modelVersion: String
    /// Minutes since 1970 (UTC).
    public var minute: Int
    public var channel: String
    public var requests: Int
    public var applicants: Int
    public var approve: Int
    public var review: Int
    public var decline: Int

    package enum CodingKeys: String, CodingKey {
        case minute, channel, requests, applicants, approve, review, decline
        case modelName = "model_name", modelVersion = "model_version"
    }
}

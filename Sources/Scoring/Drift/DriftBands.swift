/// How a PSI is read: below `moderate` stable, from `moderate` to `major` a moderate shift,
/// above `major` a major one. The usual 0.1 and 0.25 unless the bundle sets its own
/// (`drift_bands` in bundle.json).
public struct DriftBands: Codable, Sendable, Equatable {
    public var moderate: Double
    public var major: Double

    public init(moderate: Double = 0.1, major: Double = 0.25) {
        self.moderate = moderate
        self.major = major
    }

    public static let standard = DriftBands()

    public func band(_ psi: Double) -> DriftBand {
        psi > major ? .major : psi >= moderate ? .moderate : .stable
    }
}

/// A PSI's band.
public enum DriftBand: String, Codable, Sendable, Comparable {
    case stable, moderate, major

    private var rank: Int {
        switch self {
        case .stable: return 0
        case .moderate: return 1
        case .major: return 2
        }
    }

    public static func < (a: DriftBand, b: DriftBand) -> Bool { a.rank < b.rank }
}

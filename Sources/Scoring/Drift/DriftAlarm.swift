/// Which drift measures of a window are in alarm, with hysteresis: a measure (an input, or
/// the score) raises an event when its PSI enters the major band, and cannot raise another
/// until it has fallen back below `rearm` — halfway between the moderate and major bounds
/// (0.175 with the usual bands). A PSI wavering around 0.25 as applicants come and go so
/// gives one event per real crossing, not one per window.
public struct DriftAlarm: Sendable, Equatable, Codable {
    /// The measures in alarm now.
    public private(set) var raised: Set<String>

    public init(raised: Set<String> = []) {
        self.raised = raised
    }

    /// Below this PSI a raised measure is cleared.
    public static func rearm(_ bands: DriftBands) -> Double {
        bands.moderate + (bands.major - bands.moderate) / 2
    }

    /// Takes a window's PSI per measure; returns the measures that crossed into the major
    /// band with it (sorted by name), each one event. Measures not in `psi` keep their state.
    /// `judged` holds a measure's own bands for the window's size (`DriftReport.judgedBands`);
    /// a measure without is read with `bands`.
    public mutating func update(psi: [String: Double], bands: DriftBands, judged: [String: DriftBands] = [:]) -> [String] {
        var crossed: [String] = []
        for (name, value) in psi {
            let bands = judged[name] ?? bands
            if raised.contains(name) {
                if value < Self.rearm(bands) { raised.remove(name) }
            } else if bands.band(value) == .major {
                raised.insert(name)
                crossed.append(name)
            }
        }
        return crossed.sorted()
    }
}

extension ScorecardCharacteristic {
    /// Checks one characteristic of the document and builds it for scoring. Anything that would
    /// make a value's points ambiguous (overlapping or unsorted bins, a label in two bins) or
    /// undefined (a value no bin takes and no `unseen_points`) is refused, naming the
    /// characteristic and the value.
    init(record: ScorecardCharacteristicRecord, higherIsSafer: Bool) throws(ModelLoadError) {
        let name = record.name
        func refuse(_ what: String) -> ModelLoadError {
            ModelLoadError("Scorecard characteristic \"\(name)\": \(what)")
        }
        guard !record.bins.isEmpty else { throw refuse("it has no bins.") }
        for value in [record.missingPoints, record.unseenPoints ?? 0] + record.bins.map(\.points) + (record.special ?? []).map(\.points)
        where !value.isFinite {
            throw refuse("points must be finite numbers; found \(value).")
        }
        self.name = name
        missingPoints = record.missingPoints
        let best = higherIsSafer ? record.bins.map(\.points).max() : record.bins.map(\.points).min()
        bestPoints = best ?? 0
        if let r = record.range {
            guard r.count == 2, r[0] <= r[1] else { throw refuse("range must be [minimum, maximum]; it is \(r).") }
            range = r[0]...r[1]
        } else {
            range = nil
        }
        switch record.kind {
        case .numeric:
            kind = .numeric
            let numeric = try Self.numericBins(record, refuse: refuse)
            closedLeft = numeric.closedLeft
            lowers = numeric.lowers
            uppers = numeric.uppers
            binPoints = record.bins.map(\.points)
            var values: [Double] = []
            var points: [Double] = []
            for special in record.special ?? [] {
                for value in special.values {
                    guard case .number(let number) = value, number.isFinite else {
                        throw refuse("special value \(value) is not a number, and the characteristic is numeric.")
                    }
                    guard !values.contains(number) else { throw refuse("special value \(number) is listed twice.") }
                    values.append(number)
                    points.append(special.points)
                }
            }
            specialValues = values
            specialPoints = points
            if let unseen = record.unseenPoints {
                unseenPoints = unseen
            } else if let gap = numeric.uncovered {
                throw refuse("\(gap) falls in no bin and there are no unseen_points for it.")
            } else {
                unseenPoints = record.missingPoints  // never reached: the bins cover every number
            }
            labels = []
            labelPoints = []
            binLabels = []
        case .categorical:
            kind = .categorical
            guard let unseen = record.unseenPoints else {
                throw refuse("a categorical characteristic needs unseen_points for labels no bin lists.")
            }
            unseenPoints = unseen
            var labels: [String] = []
            var points: [Double] = []
            var position: [String: Int] = [:]
            for bin in record.bins {
                guard bin.lower == nil, bin.upper == nil, let listed = bin.labels, !listed.isEmpty else {
                    throw refuse("every bin of a categorical characteristic lists labels (and no edges).")
                }
                for label in listed {
                    guard position[label] == nil else { throw refuse("label \"\(label)\" is in two bins.") }
                    position[label] = labels.count
                    labels.append(label)
                    points.append(bin.points)
                }
            }
            for special in record.special ?? [] {
                for value in special.values {
                    guard case .label(let label) = value else {
                        throw refuse("special value \(value) is not a label, and the characteristic is categorical.")
                    }
                    // A special label outranks a bin that lists it (optbinning applies specials last).
                    if let at = position[label] {
                        points[at] = special.points
                    } else {
                        position[label] = labels.count
                        labels.append(label)
                        points.append(special.points)
                    }
                }
            }
            self.labels = labels
            labelPoints = points
            binPoints = record.bins.map(\.points)
            binLabels = record.bins.map { $0.labels ?? [] }
            closedLeft = true
            lowers = []
            uppers = []
            specialValues = []
            specialPoints = []
        }
    }

    /// The edges of a numeric characteristic's bins, checked: each bin non-empty, bins in
    /// ascending order and not overlapping. `uncovered` names a number no bin takes, if any.
    private static func numericBins(
        _ record: ScorecardCharacteristicRecord, refuse: (String) -> ModelLoadError
    ) throws(ModelLoadError) -> (closedLeft: Bool, lowers: [Double], uppers: [Double], uncovered: String?) {
        guard let closed = record.closed else { throw refuse("a numeric characteristic says which side its bins close: \"closed\": \"left\" for [a, b).") }
        let closedLeft = closed == .left
        func shown(_ lower: Double, _ upper: Double) -> String {
            let low = lower == -.infinity ? "-inf" : "\(lower)"
            let high = upper == .infinity ? "inf" : "\(upper)"
            return closedLeft ? "[\(low), \(high))" : "(\(low), \(high)]"
        }
        var lowers: [Double] = []
        var uppers: [Double] = []
        var uncovered: String?
        for (i, bin) in record.bins.enumerated() {
            guard bin.labels == nil else { throw refuse("bin \(i + 1) lists labels, but the characteristic is numeric.") }
            let lower = bin.lower ?? -.infinity
            let upper = bin.upper ?? .infinity
            guard lower.isFinite || bin.lower == nil, upper.isFinite || bin.upper == nil else {
                throw refuse("bin \(i + 1) has an edge that is not a number.")
            }
            guard lower < upper else { throw refuse("bin \(shown(lower, upper)) has its edges out of order (lower must be below upper).") }
            if let previousLower = lowers.last, let previousUpper = uppers.last {
                guard lower >= previousLower else {
                    throw refuse("bins are not in ascending order: \(shown(lower, upper)) comes after \(shown(previousLower, previousUpper)).")
                }
                guard lower >= previousUpper else {
                    throw refuse("bins \(shown(previousLower, previousUpper)) and \(shown(lower, upper)) overlap (at \(lower)).")
                }
                if lower > previousUpper, uncovered == nil { uncovered = "\(previousUpper)" }
            } else if bin.lower != nil {
                uncovered = "A value below \(lower)"
            }
            lowers.append(lower)
            uppers.append(upper)
        }
        if uncovered == nil, let last = uppers.last, last != .infinity { uncovered = "A value above \(last)" }
        if let gap = uncovered, !gap.hasPrefix("A value") { uncovered = "The gap after \(gap)" }
        return (closedLeft, lowers, uppers, uncovered)
    }
}

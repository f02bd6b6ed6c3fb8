import Foundation
import LoanRiskCore

extension Charts {
    /// One bar of a contributions chart: a feature's label (its phrase and the applicant's
    /// value, which may be the applicant's own text) and its contribution in log-odds.
    struct ContributionBar: Sendable {
        var label: String
        var contribution: Double
    }

    /// Every contribution as a horizontal bar from a zero line (the base rate): bars that
    /// raise the risk go right (class `raise`), bars that lower it go left (`lower`), largest
    /// first. Under the bars an axis reads in log-odds and, beneath each log-odds tick, in
    /// probability points: what a contribution of that size alone does to the base rate
    /// (`points`, the reading the contributions table gives each value). Labels are escaped
    /// here, since unlike the other charts this one shows text a user typed (an unseen
    /// category); long labels are shortened, the full text is in each bar's tooltip.
    static func contributions(
        _ bars: [ContributionBar], baseRate: String, probability: String, points: ProbabilityPoints, width: Double = 760
    ) -> String {
        let sorted = bars.enumerated().sorted { a, b in
            abs(a.element.contribution) > abs(b.element.contribution) || (abs(a.element.contribution) == abs(b.element.contribution) && a.offset < b.offset)
        }.map(\.element)
        let rowHeight = 22.0, top = 30.0, bottom = 64.0
        let labelRight = 318.0
        let plotLeft = labelRight + 10, plotRight = width - 10
        let zero = (plotLeft + plotRight) / 2
        let valueRoom = 56.0  // for the number at the end of the longest bar
        let half = (plotRight - plotLeft) / 2 - valueRoom
        let largest = max(sorted.map { abs($0.contribution) }.max() ?? 0, 1e-12)
        let height = top + Double(sorted.count) * rowHeight + bottom
        let label = "Contribution of each value to the risk, from the base rate of \(baseRate) to this applicant's \(probability)"
        var svg = "<svg class=\"chart contributions\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(label))\">"
        svg += "<text class=\"tick\" x=\"\(f(zero - 8))\" y=\"14\" text-anchor=\"end\">← lowers the risk</text>"
        svg += "<text class=\"tick\" x=\"\(f(zero + 8))\" y=\"14\" text-anchor=\"start\">raises the risk →</text>"
        for (index, bar) in sorted.enumerated() {
            let y = top + Double(index) * rowHeight
            let length = abs(bar.contribution) / largest * half
            let raises = bar.contribution > 0
            let x = raises ? zero : zero - length
            let kind = bar.contribution > 0 ? "raise" : (bar.contribution < 0 ? "lower" : "none")
            let amount = contributionText(bar.contribution)
            let alone = ProbabilityPoints.text(points.of(bar.contribution))
            svg += "<g class=\"row\"><title>\(escape(bar.label)): \(amount) log-odds, \(alone) probability points alone</title>"
            svg += "<text class=\"label\" x=\"\(f(labelRight))\" y=\"\(f(y + 15))\" text-anchor=\"end\">\(escape(shortened(bar.label, to: 52)))</text>"
            svg += "<rect class=\"bar \(kind)\" x=\"\(f(x))\" y=\"\(f(y + 4))\" width=\"\(f(max(length, 0.5)))\" height=\"\(f(rowHeight - 8))\"/>"
            let textX = raises ? zero + length + 4 : zero - length - 4
            svg += "<text class=\"amount\" x=\"\(f(textX))\" y=\"\(f(y + 15))\" text-anchor=\"\(raises ? "start" : "end")\">\(amount)</text></g>"
        }
        let axisBottom = top + Double(sorted.count) * rowHeight
        svg += "<line class=\"zero\" x1=\"\(f(zero))\" y1=\"\(f(top - 4))\" x2=\"\(f(zero))\" y2=\"\(f(axisBottom + 4))\"/>"
        svg += axis(at: axisBottom + 2, from: top - 4, zero: zero, half: half, largest: largest, points: points, labelRight: labelRight)
        svg += "<text class=\"tick\" x=\"\(f(zero))\" y=\"\(f(height - 8))\" text-anchor=\"middle\">base rate \(escape(baseRate)) · this applicant \(escape(probability))</text>"
        return svg + "</svg>"
    }

    /// The same chart drawn for a phone (`narrow`, 360 units wide, shown below 700 px by the
    /// stylesheet): each input's label on a line of its own above its bar, so that the words
    /// keep a readable size instead of shrinking with a 760-unit chart to a third of it.
    static func narrowContributions(
        _ bars: [ContributionBar], baseRate: String, probability: String, points: ProbabilityPoints, width: Double = 360
    ) -> String {
        let sorted = bars.enumerated().sorted { a, b in
            abs(a.element.contribution) > abs(b.element.contribution) || (abs(a.element.contribution) == abs(b.element.contribution) && a.offset < b.offset)
        }.map(\.element)
        let rowHeight = 40.0, top = 26.0, bottom = 96.0
        let zero = width / 2
        let valueRoom = 58.0
        let half = width / 2 - 6 - valueRoom
        let largest = max(sorted.map { abs($0.contribution) }.max() ?? 0, 1e-12)
        let height = top + Double(sorted.count) * rowHeight + bottom
        let label = "Contribution of each value to the risk, from the base rate of \(baseRate) to this applicant's \(probability)"
        var svg = "<svg class=\"chart contributions narrow\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(label))\">"
        svg += "<text class=\"tick\" x=\"\(f(zero - 6))\" y=\"14\" text-anchor=\"end\">← lowers the risk</text>"
        svg += "<text class=\"tick\" x=\"\(f(zero + 6))\" y=\"14\" text-anchor=\"start\">raises the risk →</text>"
        for (index, bar) in sorted.enumerated() {
            let y = top + Double(index) * rowHeight
            let length = abs(bar.contribution) / largest * half
            let raises = bar.contribution > 0
            let x = raises ? zero : zero - length
            let kind = bar.contribution > 0 ? "raise" : (bar.contribution < 0 ? "lower" : "none")
            let amount = contributionText(bar.contribution)
            let alone = ProbabilityPoints.text(points.of(bar.contribution))
            svg += "<g class=\"row\"><title>\(escape(bar.label)): \(amount) log-odds, \(alone) probability points alone</title>"
            svg += "<text class=\"label\" x=\"4\" y=\"\(f(y + 14))\">\(escape(shortened(bar.label, to: 40)))</text>"
            svg += "<rect class=\"bar \(kind)\" x=\"\(f(x))\" y=\"\(f(y + 21))\" width=\"\(f(max(length, 0.5)))\" height=\"12\"/>"
            let textX = raises ? zero + length + 4 : zero - length - 4
            svg += "<text class=\"amount\" x=\"\(f(textX))\" y=\"\(f(y + 32))\" text-anchor=\"\(raises ? "start" : "end")\">\(amount)</text></g>"
        }
        let axisBottom = top + Double(sorted.count) * rowHeight
        svg += "<line class=\"zero\" x1=\"\(f(zero))\" y1=\"\(f(top + 16))\" x2=\"\(f(zero))\" y2=\"\(f(axisBottom + 4))\"/>"
        svg += axis(at: axisBottom + 2, from: top + 16, zero: zero, half: half, largest: largest, points: points, labelRight: nil)
        svg += "<text class=\"tick\" x=\"\(f(zero))\" y=\"\(f(axisBottom + 50))\" text-anchor=\"middle\">above: log-odds · below: probability points alone</text>"
        svg += "<text class=\"tick\" x=\"\(f(zero))\" y=\"\(f(height - 12))\" text-anchor=\"middle\">base rate \(escape(baseRate)) · this applicant \(escape(probability))</text>"
        return svg + "</svg>"
    }

    /// The log-odds axis under the bars at `y`: a tick every `logOddsStep(largest)` within the
    /// bars' reach (faint grid lines up to `top`), each labelled in log-odds and, under it, in
    /// probability points from the base rate. Each tick carries both readings as data.
    private static func axis(
        at y: Double, from top: Double, zero: Double, half: Double, largest: Double, points: ProbabilityPoints, labelRight: Double?
    ) -> String {
        let step = logOddsStep(largest)
        let decimals = decimalsShowing(step)
        let reach = Int((largest / step + 1e-9).rounded(.down))
        var svg = "<g class=\"axis-ticks\"><line class=\"axis\" x1=\"\(f(zero - half))\" y1=\"\(f(y))\" x2=\"\(f(zero + half))\" y2=\"\(f(y))\"/>"
        // Without room left of the axis (`labelRight` nil), the caller says what the rows read.
        if let labelRight {
            svg += "<text class=\"tick\" x=\"\(f(labelRight))\" y=\"\(f(y + 14))\" text-anchor=\"end\">log-odds</text>"
            svg += "<text class=\"tick\" x=\"\(f(labelRight))\" y=\"\(f(y + 28))\" text-anchor=\"end\">probability points, alone from the base rate</text>"
        }
        for k in reach > 0 ? -reach...reach : 0...0 {
            let logOdds = Double(k) * step
            let x = zero + logOdds / largest * half
            let alone = points.of(logOdds)
            let logOddsText = k == 0 ? "0" : String(format: "%+.\(decimals)f", logOdds)
            let pointsText = k == 0 ? "0 pts" : ProbabilityPoints.text(alone) + " pts"
            svg += "<g class=\"axis-tick\" data-log-odds=\"\(logOdds)\" data-points=\"\(alone)\">"
            if k != 0 { svg += "<line class=\"axis\" stroke-opacity=\"0.3\" x1=\"\(f(x))\" y1=\"\(f(top))\" x2=\"\(f(x))\" y2=\"\(f(y))\"/>" }
            svg += "<line class=\"axis\" x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x))\" y2=\"\(f(y + 4))\"/>"
            svg += "<text class=\"tick log-odds\" x=\"\(f(x))\" y=\"\(f(y + 14))\" text-anchor=\"middle\">\(logOddsText)</text>"
            svg += "<text class=\"tick points\" x=\"\(f(x))\" y=\"\(f(y + 28))\" text-anchor=\"middle\">\(pointsText)</text></g>"
        }
        return svg + "</g>"
    }

    /// A round log-odds step (1, 2, 2.5 or 5 times a power of ten) giving about two ticks on
    /// each side of zero: more would crowd their labels on a phone-sized chart.
    static func logOddsStep(_ largest: Double) -> Double {
        let target = max(largest / 2, 1e-12)
        let power = pow(10, (log10(target)).rounded(.down))
        let fraction = target / power
        let nice: Double = fraction < 1.5 ? 1 : fraction < 2.25 ? 2 : fraction < 3.5 ? 2.5 : fraction < 7.5 ? 5 : 10
        return nice * power
    }

    /// The fewest decimals that write `step` exactly (0.25 → 2, 0.5 → 1, 2 → 0).
    private static func decimalsShowing(_ step: Double) -> Int {
        (0...8).first { abs(step * pow(10, Double($0)) - (step * pow(10, Double($0))).rounded()) < 1e-6 } ?? 8
    }

    /// A contribution for reading: four decimals with a sign, or two significant digits when
    /// it is too small for four decimals to show.
    static func contributionText(_ value: Double) -> String {
        if value == 0 { return "0" }
        if abs(value) < 0.00005 { return String(format: "%+.1e", value) }
        return String(format: "%+.4f", value)
    }

    /// Text made safe for SVG/HTML content and attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    private static func shortened(_ text: String, to length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }

    private static func f(_ value: Double) -> String { String(format: "%.1f", value) }
}

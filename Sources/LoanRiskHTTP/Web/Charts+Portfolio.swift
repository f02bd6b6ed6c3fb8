import Foundation
import LoanRiskCore
import Scoring

extension Charts {
    /// The probabilities of default in 40 bins from 0 to just above the highest, stacked by
    /// decision in the decisions' colours, with the cut-offs drawn where they fall.
    static func decisionHistogram(_ rows: [(Double, Decision?)], policy: DecisionPolicy, width: Double = 640, height: Double = 200) -> String {
        let binCount = 40
        let highest = rows.map(\.0).max() ?? 0
        // The axis ends at the next 5 % above the highest probability (at least 5 %).
        let top = max(0.05, min(1, ((highest * 20).rounded(.down) + 1) / 20))
        var bins = [[Decision?: Int]](repeating: [:], count: binCount)
        for (p, decision) in rows {
            bins[min(binCount - 1, max(0, Int(p / top * Double(binCount))))][decision, default: 0] += 1
        }
        let maxCount = max(bins.map { $0.values.reduce(0, +) }.max() ?? 0, 1)
        let left = 40.0, bottom = 24.0, top_ = 14.0
        let plotWidth = width - left - 24
        let plotHeight = height - bottom - top_
        let barWidth = plotWidth / Double(binCount)
        func x(_ p: Double) -> Double { left + plotWidth * p / top }
        var svg = "<svg class=\"chart portfolio\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"Histogram of probabilities of default by decision, with the cut-offs\">"
        for (i, counts) in bins.enumerated() {
            var y = top_ + plotHeight
            let low = Double(i) / Double(binCount) * top * 100, high = Double(i + 1) / Double(binCount) * top * 100
            for decision in [Decision.approve, .review, .decline] as [Decision?] + [nil] {
                guard let count = counts[decision], count > 0 else { continue }
                let h = plotHeight * Double(count) / Double(maxCount)
                y -= h
                let name = decision?.rawValue ?? "invalid"
                svg += "<rect class=\"bar \(name)\" x=\"\(g(left + Double(i) * barWidth + 0.5))\" y=\"\(g(y))\" width=\"\(g(barWidth - 1))\" height=\"\(g(h))\">"
                svg += "<title>\(g(low))–\(g(high)) %: \(count) \(name)</title></rect>"
            }
        }
        svg += "<line class=\"axis\" x1=\"\(g(left))\" y1=\"\(g(top_ + plotHeight))\" x2=\"\(g(left + plotWidth))\" y2=\"\(g(top_ + plotHeight))\"/>"
        for (cut, label) in [(policy.approveBelow, "approve below"), (policy.declineAtOrAbove, "decline from")] where cut > 0 && cut <= top {
            svg += "<line class=\"cutoff\" x1=\"\(g(x(cut)))\" y1=\"\(g(top_ - 4))\" x2=\"\(g(x(cut)))\" y2=\"\(g(top_ + plotHeight))\"/>"
            svg += "<text class=\"tick cutoff-label\" x=\"\(g(x(cut) + 3))\" y=\"\(g(top_ + 2))\">\(label) \(g(cut * 100)) %</text>"
        }
        let step = top <= 0.1 ? 0.01 : top <= 0.3 ? 0.05 : 0.1
        for tick in stride(from: 0.0, through: top + 1e-9, by: step) {
            svg += "<text class=\"tick\" x=\"\(g(x(tick)))\" y=\"\(g(height - 6))\" text-anchor=\"middle\">\(g(tick * 100)) %</text>"
        }
        svg += "<text class=\"tick\" x=\"\(g(left - 6))\" y=\"\(g(top_ + 10))\" text-anchor=\"end\">\(maxCount)</text>"
        svg += "<text class=\"tick\" x=\"\(g(left - 6))\" y=\"\(g(top_ + plotHeight))\" text-anchor=\"end\">0</text>"
        return svg + "</svg>"
    }

    /// Numbers in the SVG: one decimal, no trailing ".0".
    private static func g(_ value: Double) -> String {
        let text = String(format: "%.1f", value)
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
}

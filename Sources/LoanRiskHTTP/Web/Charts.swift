import Foundation
import LoanRiskCore
import Scoring

/// Small inline SVG charts drawn from numbers only (no user text), so pages need no
/// script or external library to show them.
enum Charts {
    /// One input's expected (training) and actual proportions per bin, side by side.
    static func driftBars(_ input: DriftReport.Input, width: Double = 320, height: Double = 64) -> String {
        let top = max(input.expected.max() ?? 0, input.actual.max() ?? 0, 0.0001)
        let slot = width / Double(max(input.expected.count, 1))
        var svg = "<svg class=\"chart drift\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"Training and this file, per bin\">"
        for (i, (e, a)) in zip(input.expected, input.actual).enumerated() {
            let x = Double(i) * slot
            let he = (height - 2) * e / top, ha = (height - 2) * a / top
            let label = i < input.bins.count ? input.bins[i] : ""
            svg += "<rect class=\"expected\" x=\"\(f(x + 1))\" y=\"\(f(height - he))\" width=\"\(f(slot / 2 - 1))\" height=\"\(f(he))\"><title>\(escape(label)): training \(f(e * 100)) %</title></rect>"
            svg += "<rect class=\"actual\" x=\"\(f(x + slot / 2))\" y=\"\(f(height - ha))\" width=\"\(f(slot / 2 - 1))\" height=\"\(f(ha))\"><title>\(escape(label)): this file \(f(a * 100)) %</title></rect>"
        }
        return svg + "</svg>"
    }

    /// A line chart of (x, y) points in the unit square, with an optional diagonal (ROC and reliability plots).
    static func curve(_ points: [(Double, Double)], label: String, xLabel: String, yLabel: String, diagonal: Bool = true, size: Double = 260) -> String {
        let pad = 36.0
        let plot = size - 2 * pad
        func px(_ x: Double) -> String { f(pad + x * plot) }
        func py(_ y: Double) -> String { f(size - pad - y * plot) }
        var svg = "<svg class=\"chart curve\" viewBox=\"0 0 \(Int(size)) \(Int(size))\" role=\"img\" aria-label=\"\(label)\">"
        svg += "<rect class=\"frame\" x=\"\(f(pad))\" y=\"\(f(pad))\" width=\"\(f(plot))\" height=\"\(f(plot))\"/>"
        if diagonal { svg += "<line class=\"diagonal\" x1=\"\(px(0))\" y1=\"\(py(0))\" x2=\"\(px(1))\" y2=\"\(py(1))\"/>" }
        let path = points.map { "\(px(min(max($0.0, 0), 1))),\(py(min(max($0.1, 0), 1)))" }.joined(separator: " ")
        svg += "<polyline class=\"line\" points=\"\(path)\"/>"
        for (x, y) in points where points.count <= 20 {
            svg += "<circle class=\"dot\" cx=\"\(px(x))\" cy=\"\(py(y))\" r=\"3\"/>"
        }
        svg += "<text class=\"tick\" x=\"\(f(size / 2))\" y=\"\(f(size - 6))\" text-anchor=\"middle\">\(xLabel)</text>"
        svg += "<text class=\"tick\" x=\"12\" y=\"\(f(size / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 12 \(f(size / 2)))\">\(yLabel)</text>"
        return svg + "</svg>"
    }

    private static func f(_ value: Double) -> String { String(format: "%.1f", value) }
}

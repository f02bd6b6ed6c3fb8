import Foundation
import LoanRiskCore

extension Charts {
    /// A small line of values over time (no axes): `points` as (seconds since the start, value),
    /// scaled into the box; `ceiling` fixes the top (e.g. a PSI band) so lines compare. A
    /// dashed rule marks `threshold` when given.
    static func sparkline(
        _ points: [(x: Double, y: Double)], span: Double, ceiling: Double? = nil, threshold: Double? = nil, label: String,
        width: Double = 160, height: Double = 28
    ) -> String {
        let top = max(ceiling ?? 0, points.map(\.y).max() ?? 0, threshold ?? 0, 1e-9)
        let span = max(span, 1)
        func px(_ x: Double) -> String { String(format: "%.1f", 1 + (width - 2) * min(max(x / span, 0), 1)) }
        func py(_ y: Double) -> String { String(format: "%.1f", height - 1 - (height - 2) * min(max(y / top, 0), 1)) }
        var svg = "<svg class=\"chart spark\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(label))\">"
        if let threshold {
            svg += "<line class=\"threshold\" x1=\"0\" y1=\"\(py(threshold))\" x2=\"\(Int(width))\" y2=\"\(py(threshold))\"/>"
        }
        if points.count == 1, let only = points.first {
            svg += "<circle class=\"dot\" cx=\"\(px(only.x))\" cy=\"\(py(only.y))\" r=\"2\"/>"
        } else if !points.isEmpty {
            svg += "<polyline class=\"line\" points=\"\(points.map { "\(px($0.x)),\(py($0.y))" }.joined(separator: " "))\"/>"
        }
        return svg + "</svg>"
    }
}

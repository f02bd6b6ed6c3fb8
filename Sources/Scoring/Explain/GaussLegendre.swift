import Foundation

/// Gauss–Legendre quadrature on [0, 1]: `n` nodes integrate every polynomial of degree
/// below 2n exactly. Linear TreeSHAP writes each Shapley weight sum as such an integral.
struct GaussLegendre: Sendable {
    let nodes: [Double]
    let weights: [Double]

    /// Nodes by Newton's method on the Legendre polynomial Pₙ from Tricomi's first guess;
    /// converged to the last bit for any n this code uses (a path is at most a few dozen features).
    init(count n: Int) {
        precondition(n >= 1, "quadrature needs a node")
        var nodes = [Double](repeating: 0, count: n)
        var weights = [Double](repeating: 0, count: n)
        for i in 0..<(n + 1) / 2 {
            var x = cos(Double.pi * (Double(i) + 0.75) / (Double(n) + 0.5))
            var derivative = 0.0
            for _ in 0..<100 {
                let (p, dp) = Self.legendre(n, x)
                derivative = dp
                let step = p / dp
                x -= step
                if abs(step) < 1e-17 { break }
            }
            derivative = Self.legendre(n, x).1
            let w = 2 / ((1 - x * x) * derivative * derivative)
            // Symmetric pair on [-1, 1] mapped to [0, 1].
            nodes[i] = (1 - x) / 2
            nodes[n - 1 - i] = (1 + x) / 2
            weights[i] = w / 2
            weights[n - 1 - i] = w / 2
        }
        self.nodes = nodes
        self.weights = weights
    }

    /// Pₙ(x) and Pₙ′(x) by the three-term recurrence.
    private static func legendre(_ n: Int, _ x: Double) -> (Double, Double) {
        var previous = 1.0
        var current = x
        if n == 0 { return (1, 0) }
        for k in stride(from: 2, through: n, by: 1) {
            let next = ((2 * Double(k) - 1) * x * current - (Double(k) - 1) * previous) / Double(k)
            previous = current
            current = next
        }
        return (current, Double(n) * (x * current - previous) / (x * x - 1))
    }
}

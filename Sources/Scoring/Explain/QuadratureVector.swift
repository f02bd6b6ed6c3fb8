/// The values of one node at every quadrature point, as Linear TreeSHAP computes with them:
/// one SIMD vector, or `Lanes6` for the 5–6 points most trees of 10–12 features a path need
/// (an 8-lane vector would carry a quarter of padding).
protocol QuadratureVector {
    init(repeating value: Double)
    static func * (lhs: Self, rhs: Self) -> Self
    static func * (lhs: Self, rhs: Double) -> Self
    static func + (lhs: Self, rhs: Self) -> Self
    func sum() -> Double
}

extension SIMD2: QuadratureVector where Scalar == Double {}
extension SIMD4: QuadratureVector where Scalar == Double {}
extension SIMD8: QuadratureVector where Scalar == Double {}
extension SIMD16: QuadratureVector where Scalar == Double {}
extension SIMD32: QuadratureVector where Scalar == Double {}

/// Six values as three pairs: 48 bytes with 16-byte alignment, so its stride is six doubles
/// and the tables keep their layout (a SIMD4 + SIMD2 pair would be padded to 64 bytes).
struct Lanes6: QuadratureVector {
    var a: SIMD2<Double>
    var b: SIMD2<Double>
    var c: SIMD2<Double>

    init(repeating value: Double) {
        a = SIMD2(repeating: value)
        b = a
        c = a
    }

    private init(_ a: SIMD2<Double>, _ b: SIMD2<Double>, _ c: SIMD2<Double>) {
        self.a = a
        self.b = b
        self.c = c
    }

    @inline(__always) static func * (lhs: Lanes6, rhs: Lanes6) -> Lanes6 { Lanes6(lhs.a * rhs.a, lhs.b * rhs.b, lhs.c * rhs.c) }
    @inline(__always) static func * (lhs: Lanes6, rhs: Double) -> Lanes6 { Lanes6(lhs.a * rhs, lhs.b * rhs, lhs.c * rhs) }
    @inline(__always) static func + (lhs: Lanes6, rhs: Lanes6) -> Lanes6 { Lanes6(lhs.a + rhs.a, lhs.b + rhs.b, lhs.c + rhs.c) }
    /// Pairwise across the three pairs; the order only touches the last bits.
    @inline(__always) func sum() -> Double { (a + b + c).sum() }
}

import Synchronization

/// The lower half of request ids: 48 bits, distinct for every request of this process and
/// unpredictable across processes.
///
/// A counter from a random start, spread by an odd multiplier (a bijection modulo 2^48): two
/// requests of one process never share it (48 random bits did, in the same millisecond, about
/// once in 10^13 pairs), and two instances share one only if their sequences meet in the
/// same millisecond. It replaced a `SystemRandomNumberGenerator` draw per request — a getrandom(2)
/// system call, 1 % of the server's time for one applicant per request (bench/README.md).
package enum RequestSequence {
    private static let start: UInt64 = {
        var generator = SystemRandomNumberGenerator()
        return generator.next()
    }()
    private static let counter = Atomic<UInt64>(0)

    package static func next() -> UInt64 {
        let n = counter.wrappingAdd(1, ordering: .relaxed).oldValue
        return (start &+ n &* 0x9E37_79B9_7F4A_7C15) & 0xFFFF_FFFF_FFFF
    }
}

import Foundation

/// Strict, locale-free reading of a decimal number from bytes, correctly rounded.
///
/// Accepts what a spreadsheet or `repr()` writes: `-12`, `3.25`, `.5`, `1e-36`, `+7.`; with
/// `mark` a comma, what a European spreadsheet writes instead: `3,25`, `-0,5`. Rejects words
/// (`inf`, `abc`), hex, thousands separators and the other decimal mark. Short numbers take
/// an exact fast path (Clinger's); the rest go to the C library's `strtod`, which rounds correctly.
enum DecimalNumber {
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, mark: DecimalMark = .point) -> Double? {
        let n = bytes.count
        guard n > 0, n < 400 else { return nil }
        var i = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            i = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0          // significant digits accumulated in `mantissa`
        var sawDigit = false
        var exponent = 0        // decimal exponent adjustment
        var exact = true        // mantissa holds all digits (≤ 19)
        while i < n, let d = digit(bytes[i]) {
            sawDigit = true
            if mantissa == 0 && d == 0 { i += 1; continue }
            if digits < 19 { mantissa = mantissa * 10 + UInt64(d); digits += 1 } else { exponent += 1; exact = false }
            i += 1
        }
        if i < n, bytes[i] == mark.byte {
            i += 1
            while i < n, let d = digit(bytes[i]) {
                sawDigit = true
                if mantissa == 0 && d == 0 { exponent -= 1; i += 1; continue }
                if digits < 19 { mantissa = mantissa * 10 + UInt64(d); digits += 1; exponent -= 1 } else { exact = false }
                i += 1
            }
        }
        guard sawDigit else { return nil }
        if i < n, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < n, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
                expNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var value = 0
            var sawExpDigit = false
            while i < n, let d = digit(bytes[i]) {
                sawExpDigit = true
                if value < 100_000 { value = value * 10 + d }
                i += 1
            }
            guard sawExpDigit else { return nil }
            exponent += expNegative ? -value : value
        }
        guard i == n else { return nil }
        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        // Clinger's fast path: mantissa and 10^|e| are exact doubles, so one IEEE operation rounds correctly.
        if exact, mantissa < (1 << 53), exponent >= -22, exponent <= 22 {
            let m = Double(mantissa)
            let value = exponent >= 0 ? m * powersOfTen[exponent] : m / powersOfTen[-exponent]
            return negative ? -value : value
        }
        #if arch(x86_64) && !os(Windows)
        if exact, let value = extendedPrecision(mantissa, exponent) {
            return negative ? -value : value
        }
        #endif
        return strtodFallback(bytes, mark: mark)
    }

    #if arch(x86_64) && !os(Windows)
    /// The 17-digit numbers `repr()` writes miss Clinger's path. With a 64-bit significand,
    /// one Float80 operation rounds the exact value (mantissa < 2⁶⁴, 10^|e| exact for |e| ≤ 27)
    /// once; rounding that to a double is correct unless the Float80 result sits on (or next
    /// to) a double's rounding midpoint, whose low 11 significand bits are 0x400. Those rare
    /// cases return nil and go to `strtod`.
    @inline(__always)
    private static func extendedPrecision(_ mantissa: UInt64, _ exponent: Int) -> Double? {
        guard exponent >= -27, exponent <= 27 else { return nil }
        let m = Float80(mantissa)
        let r = exponent >= 0 ? m * powersOfTen80[exponent] : m / powersOfTen80[-exponent]
        let low = r.significandBitPattern & 0x7FF
        guard low < 0x3FF || low > 0x401 else { return nil }
        return Double(r)
    }

    private static let powersOfTen80: [Float80] = {
        var powers: [Float80] = [1]
        for _ in 1...27 { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()
    #endif

    @inline(__always)
    private static func digit(_ byte: UInt8) -> Int? {
        byte >= 0x30 && byte <= 0x39 ? Int(byte - 0x30) : nil
    }

    private static let powersOfTen: [Double] = {
        var powers: [Double] = [1]
        for _ in 1...22 { powers.append(powers[powers.count - 1] * 10) }  // all exact
        return powers
    }()

    /// `bytes` has the syntax checked above, so its only mark is `mark`: the C locale's `strtod` gets a point.
    private static func strtodFallback(_ bytes: UnsafeBufferPointer<UInt8>, mark: DecimalMark) -> Double? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer -> Double? in
            for (k, byte) in bytes.enumerated() { buffer[k] = CChar(bitPattern: byte == mark.byte ? UInt8(ascii: ".") : byte) }
            buffer[bytes.count] = 0
            guard let base = buffer.baseAddress else { return nil }
            let value = strtod(base, nil)
            return value.isFinite ? value : nil
        }
    }
}

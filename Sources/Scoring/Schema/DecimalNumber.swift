import Foundation

/// Strict, locale-free reading of a decimal number from bytes, correctly rounded.
///
/// Accepts what a spreadsheet or `repr()` writes: `-12`, `3.25`, `.5`, `1e-36`, `+7.`.
/// Rejects words (`inf`, `abc`), hex, and thousands or decimal commas. Short numbers take
/// an exact fast path (Clinger's); the rest go to the C library's `strtod`, which rounds correctly.
enum DecimalNumber {
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
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
        if i < n, bytes[i] == UInt8(ascii: ".") {
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
        return strtodFallback(bytes)
    }

    @inline(__always)
    private static func digit(_ byte: UInt8) -> Int? {
        byte >= 0x30 && byte <= 0x39 ? Int(byte - 0x30) : nil
    }

    private static let powersOfTen: [Double] = (0...22).map { pow(10.0, Double($0)) }

    private static func strtodFallback(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer -> Double? in
            for (k, byte) in bytes.enumerated() { buffer[k] = CChar(bitPattern: byte) }
            buffer[bytes.count] = 0
            guard let base = buffer.baseAddress else { return nil }
            let value = strtod(base, nil)
            return value.isFinite ? value : nil
        }
    }
}

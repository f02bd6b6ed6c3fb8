/// UTF-8 validation tuned for CSV records, which are mostly ASCII.
enum CSVUTF8 {
    /// The offset of the first byte that does not start a valid UTF-8 sequence, or nil when
    /// all of `p` is valid. ASCII runs are skipped eight bytes at a time.
    ///
    /// Follows the Unicode "well-formed UTF-8" table: no overlong forms, no surrogates
    /// (U+D800–U+DFFF), nothing above U+10FFFF.
    static func firstInvalidByte(in p: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = p.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        let n = p.count
        var i = 0
        while i < n {
            // Fast path: eight ASCII bytes have no high bit set.
            while i + 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
            }
            guard i < n else { break }
            let b = p[i]
            if b < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var low: UInt8 = 0x80  // range of the second byte
            var high: UInt8 = 0xBF
            switch b {
            case 0xC2...0xDF:
                length = 2
            case 0xE0:
                length = 3
                low = 0xA0  // no overlong forms
            case 0xE1...0xEC, 0xEE...0xEF:
                length = 3
            case 0xED:
                length = 3
                high = 0x9F  // no surrogates
            case 0xF0:
                length = 4
                low = 0x90  // no overlong forms
            case 0xF1...0xF3:
                length = 4
            case 0xF4:
                length = 4
                high = 0x8F  // nothing above U+10FFFF
            default:
                return i
            }
            guard i + length <= n, p[i + 1] >= low, p[i + 1] <= high else { return i }
            var k = 2
            while k < length {
                if p[i + k] & 0xC0 != 0x80 { return i }
                k += 1
            }
            i += length
        }
        return nil
    }
}

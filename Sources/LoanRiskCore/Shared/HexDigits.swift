
/// Lower-case, zero-padded hexadecimal text: request ids and CSRF tokens.
package enum HexDigits {
    private static let digits = Array("0123456789abcdef".utf8)

    /// `values`, each written as exactly `digitsEach` hex digits (its low bits), one after the other.
    package static func string(_ values: UInt64..., digitsEach: Int) -> String {
        String(unsafeUninitializedCapacity: values.count * digitsEach) { buffer in
            var index = 0
            for value in values {
                for shift in stride(from: (digitsEach - 1) * 4, through: 0, by: -4) {
                    buffer[index] = digits[Int((value >> UInt64(shift)) & 0xF)]
                    index += 1
                }
            }
            return index
        }
    }
}

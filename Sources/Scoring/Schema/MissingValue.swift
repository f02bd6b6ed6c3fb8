/// The cell contents read as "missing": empty, `NA`, `N/A`, `NaN`, `null`, `None`, in any case
/// (after trimming spaces). Everything else must be a valid value for the feature's kind.
public enum MissingValue {
    public static let tokens = ["", "NA", "N/A", "NaN", "null", "None"]

    /// Whether `bytes` (already trimmed) is one of the missing tokens.
    @inline(__always)
    public static func isMissing(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        switch bytes.count {
        case 0: return true
        case 2: return lower(bytes[0]) == 0x6E && lower(bytes[1]) == 0x61  // na
        case 3:
            let (a, b, c) = (lower(bytes[0]), lower(bytes[1]), lower(bytes[2]))
            return (a == 0x6E && b == 0x2F && c == 0x61) || (a == 0x6E && b == 0x61 && c == 0x6E)  // n/a, nan
        case 4:
            let word = (lower(bytes[0]), lower(bytes[1]), lower(bytes[2]), lower(bytes[3]))
            return word == (0x6E, 0x75, 0x6C, 0x6C) || word == (0x6E, 0x6F, 0x6E, 0x65)  // null, none
        default: return false
        }
    }

    public static func isMissing(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { isMissing(ASCII.trimmed($0)) }
    }

    @inline(__always)
    private static func lower(_ byte: UInt8) -> UInt8 { byte | 0x20 }
}

enum ASCII {
    /// `bytes` without leading and trailing spaces and tabs.
    @inline(__always)
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }
}

/// The ASCII bytes the CSV code compares against, named so the scanners read like the RFC.
enum CSVByte {
    static let tab: UInt8 = 0x09
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let quote: UInt8 = 0x22
    static let apostrophe: UInt8 = 0x27
    static let plus: UInt8 = 0x2B
    static let comma: UInt8 = 0x2C
    static let minus: UInt8 = 0x2D
    static let dot: UInt8 = 0x2E
    static let zero: UInt8 = 0x30
    static let nine: UInt8 = 0x39
    static let semicolon: UInt8 = 0x3B
    static let equals: UInt8 = 0x3D
    static let at: UInt8 = 0x40
    static let upperE: UInt8 = 0x45
    static let lowerE: UInt8 = 0x65

    /// The UTF-8 byte-order mark that Excel writes at the start of "CSV UTF-8" files.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
}

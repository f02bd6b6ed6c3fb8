/// Why a workbook could not be read, as a sentence a person can act on.
public struct WorkbookError: Error, Equatable, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    static let encrypted = WorkbookError(
        "This workbook is password-protected (encrypted) or is an old Excel 97–2003 .xls file, which cannot be read here. "
            + "Open it in Excel, remove the password (File → Info → Protect Workbook), and save it as an Excel Workbook (.xlsx) or as CSV UTF-8.")

    static func broken(_ detail: String) -> WorkbookError {
        WorkbookError(
            "This file could not be read as an Excel workbook (\(detail)). Open it in Excel and save it again as an Excel Workbook (.xlsx), or as CSV UTF-8.")
    }
}

/// How a `CSVReader` treats its input.
public struct CSVReaderOptions: Sendable {
    /// The longest field accepted, in bytes after unescaping; a longer one is a
    /// `CSVError.Kind.fieldTooLong` error. Default 1 MiB.
    ///
    /// Why a bound: a missing closing quote otherwise turns the rest of the file into one
    /// field, and the reader would hold it all in memory before saying anything. The bound
    /// keeps memory small and the error close to the real mistake.
    public var maxFieldBytes: Int

    /// The field delimiter, or `nil` to detect it from the header line (the default).
    ///
    /// Detection looks at the first non-blank line, outside quoted fields: a comma anywhere
    /// there means comma; otherwise semicolon or tab, whichever occurs more often (semicolon
    /// on a tie) — the separators European Excel and "tab-delimited" exports use; with none
    /// of them the file has a single column and comma is used. Values are read as they are:
    /// a semicolon file's decimal commas (`3,5`) are not converted.
    ///
    /// Set it explicitly when the header alone is ambiguous. It must not be a quote, CR or LF.
    public var delimiter: UInt8?

    /// What a record with more or fewer fields than the header is.
    public enum RaggedRecords: Sendable {
        /// An error that stops the reading (`CSVError.Kind.raggedRow`): for files a program
        /// wrote, where it means the file is broken.
        case reject
        /// A record fitted to the header's width (cut, or padded with empty fields) that says
        /// what it had (`CSVRecord.misfit`): for applicants' files, where one bad line is that
        /// applicant's error and the others are still scored.
        case fit
    }

    /// What a record whose field count differs from the header's is; `.reject` by default.
    public var raggedRecords: RaggedRecords

    /// Creates options; the defaults suit any ordinary spreadsheet export.
    public init(maxFieldBytes: Int = 1 << 20, delimiter: UInt8? = nil, raggedRecords: RaggedRecords = .reject) {
        self.maxFieldBytes = maxFieldBytes
        self.delimiter = delimiter
        self.raggedRecords = raggedRecords
    }

    /// Options for a file of applicants: a ragged line is that row's problem (`.fit`).
    public static var applicants: CSVReaderOptions { CSVReaderOptions(raggedRecords: .fit) }
}

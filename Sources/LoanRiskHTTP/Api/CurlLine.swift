import LoanRiskCore

/// The copy-paste curl line of an operation on `/docs`: the same request its try-it form
/// sends, with the document's example body and the form's path values.
enum CurlLine {
    /// - Parameters:
    ///   - url: the full URL, path values filled in.
    ///   - json: the example JSON body, if the operation takes one.
    ///   - files: the parts of a multipart body, each sent from a file named after it.
    static func make(method: String, url: String, needsToken: Bool, json: JSONValue?, files: [TryItForm.FileField]) -> String {
        var words = ["curl", "-s"]
        if needsToken { words.append("-H \"Authorization: Bearer $LOANRISK_API_KEY\"") }
        // curl implies POST for a body; any other method with a body, or POST without one, is said.
        let sendsBody = json != nil || !files.isEmpty
        if method != "GET", !(method == "POST" && sendsBody) { words.append("-X \(method)") }
        if let json { words.append("-H 'Content-Type: application/json' -d " + quoted(json.compact)) }
        words += files.map { "-F \($0.name)=@\($0.name).\(fileExtension($0.accept))" }
        return (words + [url]).joined(separator: " ")
    }

    /// In single quotes for a POSIX shell; a quote inside closes, escapes and reopens.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// `model.txt`, `bundle.json`, `golden.csv`: the extension the part's media type has on disk.
    private static func fileExtension(_ mediaType: String) -> String {
        switch mediaType {
        case "text/plain": return "txt"
        case "text/csv": return "csv"
        default: return String(mediaType.split(separator: "/").last ?? "bin")
        }
    }
}

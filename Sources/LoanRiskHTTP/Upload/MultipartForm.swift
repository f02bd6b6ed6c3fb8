import Foundation
import Hummingbird
import LoanRiskCore

/// A `multipart/form-data` body: text fields and files, with the upload limit enforced on the
/// bytes received (not only on a declared Content-Length).
///
/// The body is received by `SpooledBody` (a large one into a spool file), then split at its
/// boundaries with `memchr`/`memcmp`, so a file part is a slice of the received bytes, never
/// copied. MultipartKit's streaming parser took 1.07 s for a 64 MB upload here, a third of
/// the whole request (bench/README.md).
struct MultipartForm {
    struct File {
        var fieldName: String
        var fileName: String
        var bytes: UploadBytes
    }

    var fields: [String: String] = [:]
    var files: [File] = []

    /// Throws `SpooledBody.TooLarge` when the body exceeds `limit`, so the page can say what
    /// the limit is; the content type is checked before a byte of the body is read.
    static func read(_ request: Request, limit: Int, settings: ConnectionSettings) async throws -> MultipartForm {
        guard let contentType = request.headers[.contentType], let boundary = Self.boundary(in: contentType), !boundary.isEmpty else {
            throw HTTPError(.unsupportedMediaType, message: "Upload the file with the form on the home page (multipart/form-data).")
        }
        let body = try await SpooledBody.receive(request, limit: limit, settings: settings)
        guard let form = parse(body, boundary: boundary) else {
            throw HTTPError(.badRequest, message: "The upload was not well-formed multipart/form-data.")
        }
        return form
    }

    /// Splits `body` into parts at `--boundary` delimiters (RFC 7578); nil when malformed.
    static func parse(_ body: UploadBytes, boundary: String) -> MultipartForm? {
        let delimiter = Array("\r\n--\(boundary)".utf8)
        let headerEnd = Array("\r\n\r\n".utf8)
        var form = MultipartForm()
        return body.withUnsafeBytes { raw -> MultipartForm? in
            // The first delimiter has no leading CRLF: search from a virtual CRLF before the body.
            let opening = Array("--\(boundary)".utf8)
            guard raw.count >= opening.count, raw.starts(with: opening) else { return nil }
            var position = opening.count
            while true {
                // After a delimiter: "--" ends the body; otherwise CRLF then the part's headers.
                if raw.count >= position + 2, raw[position] == 0x2D, raw[position + 1] == 0x2D { return form }
                guard raw.count >= position + 2, raw[position] == 0x0D, raw[position + 1] == 0x0A else { return nil }
                let headersStart = position + 2
                guard let headersLength = find(headerEnd, in: raw, from: headersStart) else { return nil }
                let contentStart = headersStart + headersLength + headerEnd.count
                guard let contentLength = find(delimiter, in: raw, from: contentStart) else { return nil }
                let headers = String(decoding: UnsafeRawBufferPointer(rebasing: raw[headersStart..<(headersStart + headersLength)]), as: UTF8.self)
                let disposition = headers.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-disposition:") }.map(String.init) ?? ""
                let name = parameter("name", in: disposition) ?? ""
                let content = body.slice(contentStart..<(contentStart + contentLength))
                if let fileName = parameter("filename", in: disposition) {
                    form.files.append(File(fieldName: name, fileName: fileName, bytes: content))
                } else {
                    form.fields[name] = content.string
                }
                position = contentStart + contentLength + delimiter.count
            }
        }
    }

    /// Offset (from `start`) of the first occurrence of `needle` in `haystack[start...]`:
    /// `memchr` to the next candidate first byte, `memcmp` for the rest.
    private static func find(_ needle: [UInt8], in haystack: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard let base = haystack.baseAddress, let first = needle.first else { return nil }
        let last = haystack.count - needle.count
        var i = start
        return needle.withUnsafeBytes { pattern -> Int? in
            guard let patternBase = pattern.baseAddress else { return nil }
            while i <= last {
                guard let hit = memchr(base + i, Int32(first), last - i + 1) else { return nil }
                let offset = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(base + offset, patternBase, needle.count) == 0 { return offset - start }
                i = offset + 1
            }
            return nil
        }
    }

    static func boundary(in contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        return parameter("boundary", in: contentType)
    }

    /// A `key=value` or `key="value"` parameter of a header value.
    static func parameter(_ key: String, in header: String) -> String? {
        for part in header.split(separator: ";") {
            let pair = part.trimmingCharacters(in: .whitespaces)
            guard pair.lowercased().hasPrefix(key + "=") else { continue }
            var value = pair.dropFirst(key.count + 1)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = value.dropFirst().dropLast() }
            return String(value)
        }
        return nil
    }
}

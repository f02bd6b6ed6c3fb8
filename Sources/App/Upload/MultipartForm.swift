import Foundation
import Hummingbird
import MultipartKit

/// A `multipart/form-data` body read as it streams in, with the upload limit enforced on the
/// bytes received (not only on a declared Content-Length): text fields and one file.
struct MultipartForm {
    struct File {
        var fieldName: String
        var fileName: String
        var bytes: ByteBuffer
    }

    var fields: [String: String] = [:]
    var files: [File] = []

    /// Thrown when the body exceeds the limit, so the page can say what the limit is.
    struct TooLarge: Error {
        let limit: Int
    }

    static func read(_ request: Request, limit: Int) async throws -> MultipartForm {
        guard let contentType = request.headers[.contentType], let boundary = Self.boundary(in: contentType) else {
            throw HTTPError(.unsupportedMediaType, message: "Upload the file with the form on the home page (multipart/form-data).")
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw TooLarge(limit: limit)
        }
        let parser = MultipartParser(boundary: boundary)
        var form = MultipartForm()
        var headers: [String: String] = [:]
        var body = ByteBuffer()
        parser.onHeader = { name, value in headers[name.lowercased()] = value }
        parser.onBody = { chunk in body.writeBuffer(&chunk) }
        parser.onPartComplete = {
            let disposition = headers["content-disposition"] ?? ""
            let name = Self.parameter("name", in: disposition) ?? ""
            if let fileName = Self.parameter("filename", in: disposition) {
                form.files.append(File(fieldName: name, fileName: fileName, bytes: body))
            } else {
                form.fields[name] = String(buffer: body)
            }
            headers = [:]
            body = ByteBuffer()
        }
        var received = 0
        for try await chunk in request.body {
            received += chunk.readableBytes
            if received > limit { throw TooLarge(limit: limit) }
            do {
                try parser.execute(chunk)
            } catch {
                throw HTTPError(.badRequest, message: "The upload was not well-formed multipart/form-data.")
            }
        }
        return form
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

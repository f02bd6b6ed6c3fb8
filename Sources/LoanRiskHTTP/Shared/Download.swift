import CompressNIO
import Foundation
import Hummingbird
import LoanRiskCore

/// A file the browser saves (results CSVs, templates, samples): `Content-Disposition`
/// attachment under a safe name, gzip-encoded for clients that accept it.
struct Download: ResponseGenerator {
    /// The body as stored: plain bytes, or already gzip-compressed (stored results files).
    enum Body {
        case plain(ByteBuffer)
        case gzip(Data, byteCount: Int)
    }

    var fileName: String
    var body: Body
    var contentType = "text/csv; charset=utf-8"
    /// Large generated files are compressed for the wire; small static ones are sent as they are.
    var compressPlain = false

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [
            .contentType: contentType,
            .contentDisposition: "attachment; filename=\"\(fileName)\"",
            .cacheControl: "no-store",
        ]
        let gzipAccepted = Self.acceptsGzip(request)
        let bytes: ByteBuffer
        switch body {
        case .plain(let plain):
            if compressPlain {
                headers[.vary] = "Accept-Encoding"
                if gzipAccepted {
                    var buffer = plain
                    bytes = try buffer.compress(with: .gzip(configuration: .init(compressionLevel: .fastestCompression)))
                    headers[.contentEncoding] = "gzip"
                } else {
                    bytes = plain
                }
            } else {
                bytes = plain
            }
        case .gzip(let data, let byteCount):
            headers[.vary] = "Accept-Encoding"
            if gzipAccepted {
                headers[.contentEncoding] = "gzip"
                bytes = ByteBuffer(data: data)
            } else {
                bytes = try Gzip.decompress(data, byteCount: byteCount)
            }
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: bytes))
    }

    /// Whether `Accept-Encoding` takes gzip with a quality above zero.
    static func acceptsGzip(_ request: Request) -> Bool {
        (request.headers[.acceptEncoding] ?? "").split(separator: ",").contains { item in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard parts.first == "gzip" else { return false }
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return quality > 0
        }
    }

    /// An uploaded file's name without its extension, made safe for a download's name.
    static func baseName(of uploadedName: String) -> String {
        let stem = (uploadedName as NSString).deletingPathExtension.replacingOccurrences(of: ".csv", with: "")
        let cleaned = String(stem.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }.prefix(80))
        return cleaned.isEmpty ? "batch" : cleaned
    }
}

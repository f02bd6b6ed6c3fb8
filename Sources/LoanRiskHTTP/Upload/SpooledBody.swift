import Hummingbird
import LoanRiskCore
import NIOCore

/// Receives a request body with memory bounded while it arrives: the first
/// `memoryBodyBytes` stay in memory, the rest goes to a `SpoolFile` as it comes. A client
/// that stalls halfway through a 100 MB upload therefore holds a quarter of a megabyte of the server's
/// memory, not fifty, until the body deadline (`RequestDeadlines`) drops it.
///
/// Every body a route reads whole is read here, so the limit is enforced on the bytes
/// received (not only on a declared Content-Length), and a declared length over the limit
/// is refused before a byte is read — which, with `Expect: 100-continue`, means at once.
enum SpooledBody {
    /// The body exceeds the limit; the answer can say what the limit is.
    struct TooLarge: Error {
        let limit: Int
    }

    static func receive(_ request: Request, limit: Int, settings: ConnectionSettings) async throws -> UploadBytes {
        if let declared = request.headers.firstValue(.contentLength).flatMap(Int.init), declared > limit { throw TooLarge(limit: limit) }
        var memory = ByteBuffer()
        var spool: SpoolFile?
        var received = 0
        var chunks = request.body.makeAsyncIterator()
        while let chunk = try await nextChunk(&chunks) {
            received += chunk.readableBytes
            guard received <= limit else { throw TooLarge(limit: limit) }
            if let spool {
                try spool.write(chunk)
            } else if received <= settings.memoryBodyBytes {
                var chunk = chunk
                memory.writeBuffer(&chunk)
            } else {
                let file = try SpoolFile(directory: settings.spoolDirectory)
                try file.write(memory)
                try file.write(chunk)
                memory = ByteBuffer()
                spool = file
            }
        }
        return try spool.map { UploadBytes(try $0.map()) } ?? UploadBytes(memory)
    }

    /// The next part of the body. A connection that ends or is dropped mid-body (a slow client
    /// past its deadline) is the client's problem, answered 400, not an error of the server's
    /// to log: a flood of stalled uploads must not flood the log as well.
    private static func nextChunk(_ chunks: inout RequestBody.AsyncIterator) async throws -> ByteBuffer? {
        do {
            return try await chunks.next()
        } catch {
            throw HTTPError(.badRequest, message: "The request body ended before all of it arrived.")
        }
    }
}

extension SpooledBody {
    /// The body whole in one buffer, for parsers that need it so (JSON, tensors): received
    /// like any other (bounded while it arrives, spooled past the memory bound), and only
    /// then, once complete, copied into memory.
    static func collect(_ request: Request, limit: Int, settings: ConnectionSettings) async throws -> ByteBuffer {
        try await receive(request, limit: limit, settings: settings).buffer
    }
}

import Hummingbird
import NIOPosix

/// The ceiling for `POST /api/v1/predict` on this machine (issue 16): a bare Hummingbird
/// server whose one route answers any POST with the request's own body and content type.
/// No middleware, no JSON, no scoring — what is left is Hummingbird, SwiftNIO and the
/// socket, so LoanRisk's requests/s over this server's, same body, same wrk, same run, is
/// the share of the machine the scoring path leaves to HTTP.
///
/// `HOST` and `PORT` (default 127.0.0.1:8090) say where it listens; `EVENT_LOOP_THREADS`, when
/// set, how many event loops it runs (default: NIO's singleton, one per core), so the ceiling
/// can be taken with LoanRisk's own setting too. `bench/reasons_ceiling.sh` starts it beside
/// the release server.
@main
struct EchoBench {
    static func main() async throws {
        let environment = Environment()
        let host = environment.get("HOST") ?? "127.0.0.1"
        let port = environment.get("PORT").flatMap(Int.init) ?? 8090
        let router = Router()
        router.post("**") { request, _ -> Response in
            // The same 1 MiB bound a client of Hummingbird would set; the bench body is ~1 KB.
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers = HTTPFields()
            headers[.contentType] = request.headers[.contentType] ?? "application/octet-stream"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
        }
        let threads = environment.get("EVENT_LOOP_THREADS").flatMap(Int.init)
        let app = Application(
            router: router, configuration: .init(address: .hostname(host, port: port), serverName: "echo-bench"),
            eventLoopGroupProvider: threads.map { .shared(MultiThreadedEventLoopGroup(numberOfThreads: $0)) } ?? .singleton)
        try await app.runService()
    }
}

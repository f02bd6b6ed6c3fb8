import CompressNIO
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage

/// Uploads received into spool files and `.csv.gz` inflated as a stream score exactly as
/// uploads held in memory did, and the inflater refuses what it must.
@Suite(.sharingTheCores) struct UploadSpoolTests {
    static let spool = FileManager.default.temporaryDirectory

    /// Distinct lines, so that a byte misplaced at a chunk boundary shows.
    static func text(lines: Int) -> [UInt8] {
        Array((0..<lines).map { "row-\($0),\($0 &* 2_654_435_761 % 1_000_003),\(String(repeating: "x", count: $0 % 37))\n" }.joined().utf8)
    }

    static func gzip(_ bytes: [UInt8]) throws -> UploadBytes {
        var buffer = ByteBuffer(bytes: bytes)
        return UploadBytes(try buffer.compress(with: .gzip()))
    }

    @Test func anUploadSpooledToDiskIsScoredAsOneInMemory() async throws {
        var configuration = TestApp.configuration()
        configuration.connections.memoryBodyBytes = 1_024
        let app = try await TestApp.make(configuration)
        let expected = try UploadTests.libraryResults(for: TestApp.goldenInput, model: TestApp.goldenModel)
        try await app.test(.live) { client in
            let session = try await Session(client)
            let plain = try Data(contentsOf: TestApp.goldenInput)
            var buffer = ByteBuffer(data: plain)
            let gz = Data(try buffer.compress(with: .gzip()).readableBytesView)
            for (data, name) in [(plain, "applicants.csv"), (gz, "applicants.csv.gz")] {
                let location = try UploadTests.batchLocation(try await session.upload(data, fileName: name))
                let csv = try await session.get(location + "/results.csv")
                #expect(Array(csv.body.readableBytesView) == expected, "\(name)")
            }
        }
    }

    @Test func inflatingInChunksGivesEveryByteBack() throws {
        let original = Self.text(lines: 120_000)
        #expect(original.count > 3 << 20)
        let inflated = try GzipInflate.inflate(try Self.gzip(original), limit: original.count, spoolDirectory: Self.spool)
        #expect(inflated.count == original.count)
        #expect(inflated.withUnsafeBytes { Array($0) } == original)
    }

    @Test func aFileThatExpandsPastTheLimitIsRefused() throws {
        let original = Self.text(lines: 50_000)
        let compressed = try Self.gzip(original)
        #expect(try GzipInflate.inflate(compressed, limit: original.count, spoolDirectory: Self.spool).count == original.count)
        do {
            _ = try GzipInflate.inflate(compressed, limit: original.count - 1, spoolDirectory: Self.spool)
            Issue.record("a file one byte over the limit was accepted")
        } catch .tooLarge {
        } catch {
            Issue.record("expected tooLarge, got \(error)")
        }
    }

    @Test func aTruncatedFileIsCorrupt() throws {
        let compressed = try Self.gzip(Self.text(lines: 20_000))
        for cut in [compressed.count - 4, compressed.count / 2, 20] {
            do {
                _ = try GzipInflate.inflate(compressed.slice(0..<cut), limit: 1 << 30, spoolDirectory: Self.spool)
                Issue.record("a file cut at \(cut) of \(compressed.count) bytes was accepted")
            } catch .corrupt {
            } catch {
                Issue.record("expected corrupt, got \(error)")
            }
        }
    }

    @Test func bytesAfterTheGzipStreamAreIgnored() throws {
        let original = Self.text(lines: 1_000)
        let compressed = try Self.gzip(original)
        var joined = ByteBuffer()
        compressed.withUnsafeBytes { _ = joined.writeBytes($0) }
        joined.writeString("trailing bytes that are not gzip")
        let inflated = try GzipInflate.inflate(UploadBytes(joined), limit: 1 << 30, spoolDirectory: Self.spool)
        #expect(inflated.withUnsafeBytes { Array($0) } == original)
    }

    @Test func aSpoolFileIsGoneFromItsFolderAsSoonAsItIsMade() throws {
        let folder = Self.spool.appendingPathComponent("spool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = try SpoolFile(directory: folder)
        try file.write(ByteBuffer(string: "applicant data"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        let mapped = UploadBytes(try file.map())
        #expect(mapped.string == "applicant data")
    }
}

import Dispatch

/// Splits rows into contiguous ranges, one per worker, and runs them concurrently.
public enum ParallelRows {
    /// Rows below this count per worker are not worth a thread hop.
    public static let minimumRowsPerWorker = 256

    /// Runs `body` over disjoint row ranges covering `0..<rowCount`, and returns when all are done.
    /// `minimumRows` is the least work worth a worker (rows are cheap to score, dear to explain).
    public static func run(rowCount: Int, threads: Int, minimumRows: Int = minimumRowsPerWorker, _ body: @Sendable (Range<Int>) -> Void) {
        _ = map(rowCount: rowCount, threads: threads, minimumRows: minimumRows, body)
    }
}

extension ParallelRows {
    /// Runs `body` over disjoint row ranges covering `0..<rowCount` and returns each range's
    /// result, in row order.
    public static func map<T: Sendable>(
        rowCount: Int, threads: Int, minimumRows: Int = minimumRowsPerWorker, _ body: @Sendable (Range<Int>) -> T
    ) -> [T] {
        let workers = max(1, min(threads, rowCount / max(1, minimumRows)))
        let ranges = (0..<workers).map { w in (rowCount * w / workers)..<(rowCount * (w + 1) / workers) }
        var results = [T?](repeating: nil, count: workers)
        results.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let slots = WorkerPointer(base: base)
            if workers == 1 {
                slots.base[0] = body(ranges[0])
            } else {
                DispatchQueue.concurrentPerform(iterations: workers) { w in slots.base[w] = body(ranges[w]) }
            }
        }
        return results.compactMap { $0 }
    }
}

/// A pointer handed to `ParallelRows` workers.
///
/// `@unchecked Sendable` is safe here because `ParallelRows.run` returns only after every
/// worker has finished (the memory outlives them) and workers write disjoint row ranges.
struct WorkerPointer<Pointee>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Pointee>
}

/// Read-only counterpart of `WorkerPointer`; shared reads need no exclusivity.
struct WorkerReadPointer<Pointee>: @unchecked Sendable {
    let base: UnsafePointer<Pointee>
}

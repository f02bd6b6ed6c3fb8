import Hummingbird
import LoanRiskCore

extension RowQuery {
    /// The view of batch `batch` a GET asks for: its sort, filters and page, and the uploaded
    /// columns shown (the URL's, else those remembered for the batch's model); never a search,
    /// which only a POSTed form carries (`BatchViewRequest`). The batch page, its download and
    /// its rows' pages all read a view this one way.
    init(_ request: Request, batch: BatchSummary) {
        self = BatchViewRequest(address: request).query(batch: batch, request: request).query
    }
}

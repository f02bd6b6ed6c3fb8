import Hummingbird
import LoanRiskCore

extension RowQuery {
    /// The view of batch `batch` a request asks for: its sort, filters and page, and the
    /// uploaded columns shown (the URL's, else those remembered for the batch's model). The
    /// batch page, its download and its rows' pages all read a view this one way.
    init(_ request: Request, batch: BatchSummary) {
        self.init(parameters: request.queryValues)
        show(ShownColumnsChoice(request, model: batch.modelName).names, header: batch.header, hidden: batch.idColumn)
    }
}

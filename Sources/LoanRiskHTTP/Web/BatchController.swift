import Foundation
import Hummingbird
import LoanRiskCore
import Scoring
import Workbook

/// A batch's results page (summary, histogram, sortable and filterable table with each
/// row's top reason, asked for by the page's script), its results CSV, and its deletion.
struct BatchController {
    let registry: ModelRegistry
    let store: BatchStore
    let views: Views
    let jobs: ReasonsJobs
    /// Analysts' decisions on the batch's review cases: on the rows, in the counts, in the download.
    let reviews: ReviewStore
    /// Workers for explaining a page's rows (the configuration's `threads`): with a large
    /// model a page's fifty rows take tens of milliseconds, less the more cores share them.
    let threads: Int
    let savedViews: SavedViewStore

    func addRoutes(to router: some RouterMethods<AppRequestContext>) {
        router.get("/batches/:id") { request, context -> Response in
            if let viewID = request.uri.queryParameters.get("view") { return try await applySavedView(String(viewID), context: context) }
            return try await page(BatchViewRequest(address: request), request, context: context)
        }
        // A search: the filter form without script, or the page's script as the analyst types.
        router.post("/batches/:id") { request, context in try await searched(request, context: context) }
        router.get("/batches/:id/top-reasons") { request, context in await topReasons(request, context: context) }
        router.get("/batches/:id/results.csv") { request, context in
            try await results(BatchViewRequest(address: request), request, context: context, as: .csv)
        }
        router.post("/batches/:id/results.csv") { request, context in
            try await results(try await BatchViewRequest.posted(request, context: context), request, context: context, as: .csv)
        }
        router.get("/batches/:id/results-as-uploaded.csv") { request, context in
            try await results(BatchViewRequest(address: request), request, context: context, as: .uploadedDialect)
        }
        router.get("/batches/:id/results.xlsx") { request, context in
            try await results(BatchViewRequest(address: request), request, context: context, as: .workbook)
        }
        router.get("/batches/:id/drift.json") { _, context in try await driftJSON(context: context) }
        router.post("/batches/:id/delete") { request, context in try await delete(request, context: context) }
    }

    func page(_ view: BatchViewRequest, _ request: Request, context: AppRequestContext) async throws -> Response {
        let s = try await store.summary(for: context)
        context.recordAccess(.read, .batch, s.id)
        let (query, columnsChoice) = view.query(batch: s, request: request)
        // The uploaded cells follow the batch by a moment: worth waiting for when they are shown.
        if !query.columns.isEmpty { _ = try await store.featuresState(batch: s.id, waitingUpTo: .seconds(3)) }
        let (rows, matching) = try await store.rows(batch: s.id, query: query)
        let pageCount = max(1, (matching + RowQuery.pageSize - 1) / RowQuery.pageSize)
        var drift: DriftView?
        var driftNote: String?
        // The schema names the uploaded columns in business words and writes their values.
        let schema = await registry.bundle(named: s.modelName, version: s.modelVersion)?.schema
        let specs = Dictionary((schema?.features ?? []).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        if let report = s.drift, let schema {
            drift = DriftView(report: report, schema: schema, link: "/batches/\(s.id)/drift.json")
        } else if s.drift == nil {
            driftNote = "No drift figures: \(s.modelName) \(s.modelVersion) has no training reference (a bare model.txt), or the batch was stored before they were measured."
        }
        let headers = columnHeaders(query: query, hasID: s.idColumn != nil, specs: specs)
        // No reasons are computed here: the page's script asks for those of the rows on screen
        // (`topReasons`), and without script each scored row links to its own page's reasons.
        // Only whether they can exist at all is known now, at no cost.
        var reasonsNote: String?
        if case .failure(let unavailable) = await StoredRowExplainer.make(for: s, registry: registry) { reasonsNote = unavailable.message }
        let showReasons = reasonsNote == nil
        let worded = try await wordedStatuses(rows, batch: s.id, schema: schema)
        // Every decided case of the batch: the table marks its rows, the summary counts them.
        let decided = s.reviewCount > 0 ? try await reviews.decisions(batch: s.id).mapValues(\.decision) : [:]
        // A row opened from a sorted or filtered view walks that view (its before and after).
        let view = query.parameters { $0.page = 1 }
        let viewQuery = view.isEmpty ? "" : Formatting.query(view)
        let download = try await downloadView(s)
        let first = (query.page - 1) * RowQuery.pageSize + 1
        let page = BatchPage(
            base: PageBase(context, title: s.fileName),
            batch: BatchPage.Heading(
                id: s.id, fileName: s.fileName, model: s.modelName, modelVersion: s.modelVersion, created: Formatting.timestamp(s.createdAt),
                readWithDecimalCommas: s.decimalMark == .comma),
            portfolio: try await portfolio(s, query: query, analyst: decided),
            drift: drift, driftNote: driftNote,
            hasID: s.idColumn != nil, idColumn: s.idColumn ?? "id",
            columns: headers, shownColumns: query.columns.map(\.name),
            shownNote: query.columns.isEmpty ? nil : "\(query.columns.count) shown",
            columnChoice: columnChoice(s, query: query, specs: specs), searchLabel: searchLabel(s, query: query, specs: specs),
            reasonsNote: reasonsNote, showReasons: showReasons, reasonsLink: showReasons ? "/batches/\(s.id)/top-reasons" : nil,
            rows: rows.map { row in
                BatchPage.Row(
                    number: row.rowNumber, id: row.applicantID ?? "", probability: Formatting.percent(row.probability),
                    decision: row.decision ?? "invalid", score: row.score.map(String.init) ?? "—",
                    state: row.state, status: row.status == "ok" ? "" : worded[row.rowNumber] ?? row.status,
                    scored: row.probability != nil, link: "/batches/\(s.id)/rows/\(row.rowNumber)" + viewQuery,
                    cells: zip(query.columns, row.shown).map { column, cell in
                        BatchPage.Row.Cell(
                            name: specs[column.name]?.phrase ?? column.name, value: specs[column.name]?.shown(cell: cell) ?? cell,
                            numeric: specs[column.name].map { $0.kind != .categorical } ?? false)
                    },
                    analyst: decided[row.rowNumber])
            },
            download: download,
            // Without script, the page refreshes itself while the reasons file is being made.
            refresh: download.isRunning ? "3" : nil,
            filters: BatchPage.Filters(
                q: query.search ?? "",
                pmin: query.minProbability.map(RowQuery.percentText) ?? "", pmax: query.maxProbability.map(RowQuery.percentText) ?? "",
                smin: query.minScore.map(String.init) ?? "", smax: query.maxScore.map(String.init) ?? "",
                decisions: ["approve", "review", "decline"].map { .init(value: $0, label: $0, selected: query.decision == $0) },
                states: [("ok", "OK"), ("warning", "With warnings"), ("error", "Invalid")].map { .init(value: $0.0, label: $0.1, selected: query.state == $0.0) },
                sort: query.sort.rawValue, dir: query.descending ? "desc" : "asc"),
            matching: Formatting.count(matching), matchingNoun: matching == 1 ? "applicant" : "applicants",
            // The download takes the view's filters and sort (not its page).
            exportQuery: Formatting.query(query.parameters { $0.page = 1 }),
            isFiltered: query.isFiltered,
            range: matching == 0 ? "" : "rows \(Formatting.count(first))–\(Formatting.count(min(matching, first + RowQuery.pageSize - 1)))",
            hasReview: registry.bundle(named: s.modelName).map { $0.policy.approveBelow < $0.policy.declineAtOrAbove } ?? true,
            page: query.page, pageCount: pageCount,
            previous: query.page > 1 ? Formatting.query(query.parameters { $0.page -= 1 }) : nil,
            next: query.page < pageCount ? Formatting.query(query.parameters { $0.page += 1 }) : nil,
            errorsLink: Formatting.query(RowQuery().parameters { $0.state = "error"; $0.columns = query.columns }),
            columnCount: headers.count + (showReasons ? 1 : 0),
            searching: query.search != nil, viewDescription: query.described,
            savedViews: try await savedViewsPart(s, query: query, context: context))
        var response = views.page(page)
        if columnsChoice.fromRequest {
            response.setCookie(ShownColumnsChoice.cookie(query.columns.map(\.name), model: s.modelName, overTLS: context.overTLS))
        }
        return response
    }

    /// The column chooser: every uploaded column but the id (which has its own), ticked when
    /// shown, and the view's other parameters carried as hidden fields so that choosing
    /// columns keeps the sort and filters.
    private func columnChoice(_ s: BatchSummary, query: RowQuery, specs: [String: FeatureSpec]) -> BatchPage.ColumnChoice {
        let shown = Set(query.columns.map(\.name))
        return BatchPage.ColumnChoice(
            options: s.header.filter { $0 != s.idColumn }.map { name in
                let label = Self.named(name, specs)
                return .init(name: name, label: label.phrase, column: label.column, checked: shown.contains(name))
            },
            keep: query.parameters { $0.columns = []; $0.page = 1 }.map { .init(name: $0.0, value: $0.1) },
            marker: ShownColumnsChoice.formMarker, max: RowQuery.maxColumns)
    }

    /// What the search box looks in: the id column and the uploaded columns on show.
    private func searchLabel(_ s: BatchSummary, query: RowQuery, specs: [String: FeatureSpec]) -> String? {
        let places = (s.idColumn.map { [$0] } ?? []) + query.columns.map { specs[$0.name]?.phrase ?? $0.name }
        guard !places.isEmpty else { return nil }
        return places.count == 1 ? "Search \(places[0])" : "Search \(places.dropLast().joined(separator: ", ")) or \(places[places.count - 1])"
    }

    /// The summary cards, score bands and chart for the rows the filters keep; when filtered,
    /// the whole file's headline figures beside them.
    private func portfolio(_ s: BatchSummary, query: RowQuery, analyst: [Int: String]) async throws -> PortfolioView {
        let bundle = await registry.bundle(named: s.modelName, version: s.modelVersion) ?? registry.bundle(named: s.modelName)
        let policy = bundle?.policy ?? .even
        let bandWidth = Int(bundle?.scaling.pdo ?? 20)
        let (scored, matching) = try await store.portfolio(batch: s.id, query: query)
        var view = PortfolioSummary(scored: scored, matching: matching, bandWidth: bandWidth, analyst: analyst).view(policy: policy)
        view.isFiltered = query.isFiltered
        if view.isFiltered {
            let (all, rows) = try await store.portfolio(batch: s.id, query: RowQuery())
            let whole = PortfolioSummary(scored: all, matching: rows, bandWidth: bandWidth, analyst: analyst).view(policy: policy)
            view.whole = PortfolioView.Whole(rows: whole.rows, expectedDefaults: whole.expectedDefaults, approvedBadRate: whole.approvedBadRate)
            view.clearLink = Formatting.query(query.parameters { q in
                q = RowQuery()
                (q.sort, q.descending, q.columns) = (query.sort, query.descending, query.columns)
            })
        }
        return view
    }

    /// Column headers with links that sort by them (and toggle the direction when already sorted).
    private func columnHeaders(query: RowQuery, hasID: Bool, specs: [String: FeatureSpec]) -> [BatchPage.Column] {
        var columns: [(RowQuery.Sort, String)] = [(.row, "Row")]
        if hasID { columns.append((.id, "Applicant")) }
        columns += [(.probability, "Probability of default"), (.decision, "Decision"), (.score, "Score"), (.status, "Status")]
        let fixed = columns.map { sort, label in
            let active = query.sort == sort
            let link = Formatting.query(query.parameters { q in
                q.descending = active ? !q.descending : (sort == .probability || sort == .score)
                q.sort = sort
                q.page = 1
            })
            let numeric = sort == .row || sort == .probability || sort == .score
            return BatchPage.Column(
                label: label, link: link, active: active, arrow: active ? (query.descending ? "▼" : "▲") : "", cssClass: numeric ? "num" : "",
                ariaSort: active ? (query.descending ? "descending" : "ascending") : "none", uploaded: false, key: sort.rawValue, column: nil)
        }
        // An uploaded column is only named: the template reads no link, arrow or sort from it.
        let uploaded = query.columns.map {
            let label = Self.named($0.name, specs)
            let numeric = specs[$0.name].map { $0.kind != .categorical } ?? false
            return BatchPage.Column(
                label: label.phrase, link: "", active: false, arrow: "", cssClass: numeric ? "num" : "", ariaSort: "", uploaded: true,
                key: "col-" + $0.name, column: label.column,
                columnHTML: label.column.map { Charts.escape($0).replacingOccurrences(of: "_", with: "_<wbr>") })
        }
        return fixed + uploaded
    }

    /// An uploaded column as a person reads it: the schema's business name first and the
    /// column's own name second ("Annual income", `annual_inc`); a column the schema does not
    /// describe (or names by itself) by its name alone, `column` nil.
    static func named(_ name: String, _ specs: [String: FeatureSpec]) -> (phrase: String, column: String?) {
        guard let phrase = specs[name]?.phrase, !phrase.isEmpty, phrase.lowercased() != name.lowercased() else { return (name, nil) }
        return (phrase, name)
    }

    /// The formats the results are downloaded in: the same rows, order and columns in each.
    enum ResultsFormat {
        /// The standard CSV, as `loanrisk score` writes it.
        case csv
        /// The CSV in the upload's own delimiter and decimal mark (a European spreadsheet's `;` and `0,0523`).
        case uploadedDialect
        /// An Excel workbook of one sheet.
        case workbook
    }

    /// The uploaded file's columns unchanged plus the results, as `loanrisk score` writes them:
    /// the rows the page's filters keep, in its sort order (every row, in file order, by
    /// default), so what is downloaded is what was looked at.
    private func results(_ view: BatchViewRequest, _ request: Request, context: AppRequestContext, as format: ResultsFormat) async throws -> Download {
        let s = try await store.summary(for: context)
        context.recordAccess(.download, .batch, s.id)
        let query = view.query(batch: s, request: request).query
        guard let export = try await store.export(batch: s.id, query: query) else {
            throw HTTPError(.notFound, message: "This batch's file is no longer stored.")
        }
        let plain = try Gzip.decompress(export.gzip, byteCount: export.byteCount)
        let reader = CSVReader(data: Data(plain.readableBytesView), options: .applicants)
        let header = try reader.readHeader()
        let rows: any ResultsRows
        switch format {
        case .csv: rows = ResultsCSV.Standard()
        case .uploadedDialect: rows = ResultsCSV.Dialect(delimiter: reader.delimiter, decimalMark: s.decimalMark)
        case .workbook: rows = WorkbookResultsRows(decimalMark: s.decimalMark)
        }
        // Once an analyst has decided a review case, the download says so in two more columns.
        let reviews = try await self.reviews.decisions(batch: s.id)
        let analyst = reviews.isEmpty ? [] : ResultsCSV.analystColumns
        // Where each kept row goes in the answer; the file is read once, in its own order.
        let place = Dictionary(export.rows.enumerated().map { ($1.rowNumber, $0) }, uniquingKeysWith: { first, _ in first })
        var encoded = [[UInt8]](repeating: [], count: export.rows.count)
        var record = CSVRecord()
        var number = 0
        var left = export.rows.count
        while left > 0, try reader.read(into: &record) {
            number += 1
            guard let position = place[number] else { continue }
            let row = export.rows[position]
            rows.appendInput(record, to: &encoded[position])
            let decided = reviews[number].map { [$0.decision, $0.note] } ?? (analyst.isEmpty ? [] : ["", ""])
            rows.appendResult(
                probability: row.probability, decision: row.decision, score: row.score, status: row.status, modelVersion: s.modelVersion,
                trailing: decided, to: &encoded[position])
            left -= 1
        }
        var head: [UInt8] = []
        rows.appendHeader(ResultsCSV.header(inputHeader: header) + analyst, to: &head)
        let base = Download.baseName(of: s.fileName)
        if format == .workbook {
            // The rows go to the zip as they are, uncopied.
            let workbook = try WorkbookWriter.workbook(sheetRows: [head] + encoded, sheetName: "Results")
            return Download(fileName: "\(base)-results.xlsx", body: .plain(ByteBuffer(bytes: workbook)), contentType: WorkbookWriter.contentType)
        }
        var bytes = head
        bytes.reserveCapacity(encoded.reduce(0) { $0 + $1.count } + head.count)
        for row in encoded { bytes += row }
        let name = format == .csv ? "\(base)-results.csv" : "\(base)-results-as-uploaded.csv"
        return Download(fileName: name, body: .plain(ByteBuffer(bytes: bytes)), compressPlain: true)
    }

    /// The numbers of the drift section, as JSON.
    private func driftJSON(context: AppRequestContext) async throws -> Response {
        let s = try await store.summary(for: context)
        guard let drift = s.drift else {
            throw HTTPError(.notFound, message: "This batch has no drift report: its model has no training reference, or it was stored before drift was measured.")
        }
        return try JSONAnswer(drift).response()
    }

    private func delete(_ request: Request, context: AppRequestContext) async throws -> Response {
        let s = try await store.summary(for: context)
        let form = try await FormBody.read(request, context: context)
        try CSRF.check(form["csrf"], context: context)
        try await store.delete(id: s.id)
        context.recordAccess(.delete, .batch, s.id)
        context.logger.info("batch deleted", metadata: ["batch": .string(s.id)])
        return .redirect(to: "/batches", type: .normal)
    }
}

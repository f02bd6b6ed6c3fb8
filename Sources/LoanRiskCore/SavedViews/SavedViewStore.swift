import Foundation
import LoanRiskStorage

/// The saved views of every model, in `saved_view`.
package struct SavedViewStore: Sendable {
    package let database: any SQLDatabase
    package static let table = "saved_view"

    package init(database: any SQLDatabase) {
        self.database = database
    }

    /// The stored form: the view plus its name folded for the uniqueness check.
    private struct Row: Codable {
        var id: String
        var modelName: String
        var name: String
        var nameKey: String
        var query: String
        var createdAt: Date

        enum CodingKeys: String, CodingKey {
            case id, name, query
            case modelName = "model_name", nameKey = "name_key", createdAt = "created_at"
        }

        var view: SavedView { SavedView(id: id, modelName: modelName, name: name, query: query, createdAt: createdAt) }
    }

    /// The name as it will be stored (spaces trimmed and runs of them made one), or why it
    /// cannot be.
    package static func validName(_ text: String) -> Result<String, SavedViewError> {
        let name = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
        if name.isEmpty { return .failure(.emptyName) }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) { return .failure(.controlCharacters) }
        if name.count > SavedView.maxNameLength { return .failure(.nameTooLong(name.count)) }
        return .success(name)
    }

    /// Saves a view of `modelName` named `name` with `query`; the name must be valid and not
    /// already taken for the model (any case).
    package func create(modelName: String, name: String, query: String, at date: Date = Date()) async throws -> Result<SavedView, SavedViewError> {
        let stored: String
        switch Self.validName(name) {
        case .failure(let error): return .failure(error)
        case .success(let valid): stored = valid
        }
        let row = Row(id: SavedView.makeID(), modelName: modelName, name: stored, nameKey: stored.lowercased(), query: query, createdAt: date)
        return try await database.write { db in
            let taken = try await db.queryOne(
                "SELECT name FROM \(Self.table) WHERE model_name = ? AND name_key = ?", [modelName, row.nameKey])
            if let existing = try taken?.first(as: String.self) {
                return .failure(.duplicate(name: existing, model: modelName))
            }
            try await db.insert(row, into: Self.table)
            return .success(row.view)
        }
    }

    /// The views of `modelName`, by name.
    package func list(modelName: String) async throws -> [SavedView] {
        try await database.read { db in
            try await db.query("SELECT * FROM \(Self.table) WHERE model_name = ? ORDER BY name_key, id", [modelName]).map { try $0.decode(Row.self).view }
        }
    }

    /// The view with this id; nil when there is none (never was, or deleted).
    package func find(id: String) async throws -> SavedView? {
        guard SavedView.isWellFormed(id) else { return nil }
        return try await database.read { db in
            try await db.queryOne("SELECT * FROM \(Self.table) WHERE id = ?", [id])?.decode(Row.self).view
        }
    }

    /// Deletes the view with this id; returns it, or nil when there was none.
    @discardableResult
    package func delete(id: String) async throws -> SavedView? {
        guard SavedView.isWellFormed(id) else { return nil }
        return try await database.write { db in
            guard let row = try await db.queryOne("SELECT * FROM \(Self.table) WHERE id = ?", [id])?.decode(Row.self) else { return nil }
            try await db.execute("DELETE FROM \(Self.table) WHERE id = ?", [id])
            return row.view
        }
    }
}

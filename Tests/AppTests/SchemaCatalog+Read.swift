import Foundation

@testable import App
@testable import LoanRiskCore
@testable import LoanRiskHTTP
@testable import LoanRiskStorage

extension SchemaCatalog {
    /// Reads the schema LoanRisk's migrations made in `database` from the engine's catalog,
    /// leaving out the migrations' own bookkeeping table.
    static func read(_ database: any SQLDatabase) async throws -> SchemaCatalog {
        try await database.read { db in
            switch db.dialect {
            case .sqlite: try await readSQLite(db)
            case .postgres: try await readPostgres(db)
            }
        }
    }

    /// `sqlite_master` and the table-valued pragmas.
    private static func readSQLite(_ db: any SQLConnection) async throws -> SchemaCatalog {
        var tables: [String: Table] = [:]
        let master = try await db.query("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
        for row in master {
            let name: String = try row.get("name")
            guard !name.hasPrefix("sqlite_"), name != "grdb_migrations" else { continue }
            let sql = try row.get("sql", as: String.self).uppercased()
            let withoutRowID = sql.contains("WITHOUT ROWID")
            let info = try await db.query(#"SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)"#, [name])
            let primaryKey = try info.filter { try $0.get("pk", as: Int64.self) > 0 }
                .sorted { try $0.get("pk", as: Int64.self) < $1.get("pk", as: Int64.self) }
                .map { try $0.get("name", as: String.self) }
            var columns: [String: Column] = [:]
            for column in info {
                let type = try column.get("type", as: String.self).uppercased()
                let inKey = try column.get("pk", as: Int64.self) > 0
                // An INTEGER PRIMARY KEY is the rowid, never NULL; so is any key column of a
                // WITHOUT ROWID table. Other key columns are NOT NULL only when declared so.
                let rowID = inKey && primaryKey.count == 1 && type == "INTEGER" && !withoutRowID
                columns[try column.get("name")] = Column(
                    type: sqliteFamily(type),
                    notNull: try column.get("notnull", as: Int64.self) != 0 || rowID || (inKey && withoutRowID),
                    defaultValue: try column.get("dflt_value", as: String?.self),
                    generated: rowID && sql.contains("AUTOINCREMENT"))
            }
            var indexes: [String: Index] = [:]
            for index in try await db.query(#"SELECT name, "unique", origin FROM pragma_index_list(?)"#, [name]) {
                let origin: String = try index.get("origin")
                guard origin != "pk" else { continue }
                let indexName: String = try index.get("name")
                let indexColumns = try await db.query("SELECT name FROM pragma_index_info(?) ORDER BY seqno", [indexName])
                    .map { try $0.get("name", as: String.self) }
                let key = origin == "u" ? Index.constraintName(indexColumns) : indexName
                indexes[key] = Index(columns: indexColumns, unique: try index.get("unique", as: Int64.self) != 0)
            }
            var foreignKeys: [Int64: ForeignKey] = [:]
            let references = try await db.query(
                #"SELECT id, "table", "from", "to", on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq"#, [name])
            for reference in references {
                let id: Int64 = try reference.get("id")
                var key = try foreignKeys[id] ?? ForeignKey(
                    columns: [], table: try reference.get("table"), referencedColumns: [], onDelete: try reference.get("on_delete"))
                key.columns.append(try reference.get("from"))
                // NULL: the referenced table's primary key, filled in below.
                if let to = try reference.get("to", as: String?.self) { key.referencedColumns.append(to) }
                foreignKeys[id] = key
            }
            tables[name] = Table(columns: columns, primaryKey: primaryKey, indexes: indexes, foreignKeys: Array(foreignKeys.values))
        }
        let primaryKeys = tables.mapValues(\.primaryKey)
        for (name, table) in tables {
            tables[name]?.foreignKeys = table.foreignKeys.map { key in
                var key = key
                if key.referencedColumns.isEmpty { key.referencedColumns = primaryKeys[key.table] ?? [] }
                return key
            }
        }
        return SchemaCatalog(tables: tables)
    }

    /// A declared type's family, by the names GRDB's table builder wrote.
    private static func sqliteFamily(_ declared: String) -> TypeFamily {
        switch declared {
        case "INTEGER", "INT", "BIGINT": .integer
        case "DOUBLE", "REAL", "FLOAT": .real
        case "TEXT": .text
        case "BLOB": .blob
        case "DATETIME", "TIMESTAMP": .timestamp
        case "BOOLEAN": .boolean
        default: .other(declared)
        }
    }

    /// `information_schema` for columns, `pg_catalog` for keys and indexes, in the
    /// connection's schema (a test's own, from `?schema=`).
    private static func readPostgres(_ db: any SQLConnection) async throws -> SchemaCatalog {
        var tables: [String: Table] = [:]
        let columns = try await db.query("""
            SELECT c.table_name::text AS table_name, c.column_name::text AS column_name, c.data_type::text AS data_type,
                   c.is_nullable::text AS is_nullable, c.column_default::text AS column_default, c.is_identity::text AS is_identity
            FROM information_schema.columns c
            JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> 'schema_migration'
            """)
        for row in columns {
            let table: String = try row.get("table_name")
            tables[table, default: Table(columns: [:], primaryKey: [], indexes: [:], foreignKeys: [])]
                .columns[try row.get("column_name")] = Column(
                    type: postgresFamily(try row.get("data_type")),
                    notNull: try row.get("is_nullable", as: String.self) == "NO",
                    defaultValue: try row.get("column_default", as: String?.self).map(postgresDefault),
                    generated: try row.get("is_identity", as: String.self) == "YES")
        }
        let keyColumns = try await db.query("""
            SELECT t.relname::text AS table_name, a.attname::text AS column_name
            FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
            WHERE n.nspname = current_schema() AND c.contype = 'p'
            ORDER BY t.relname, k.ord
            """)
        for row in keyColumns {
            tables[try row.get("table_name")]?.primaryKey.append(try row.get("column_name"))
        }
        let indexColumns = try await db.query("""
            SELECT t.relname::text AS table_name, i.relname::text AS index_name, x.indisunique AS is_unique,
                   EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.contype = 'u') AS of_constraint,
                   a.attname::text AS column_name
            FROM pg_index x
            JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            CROSS JOIN LATERAL unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
            WHERE n.nspname = current_schema() AND NOT x.indisprimary
            ORDER BY t.relname, i.relname, k.ord
            """)
        var indexes: [String: [String: (index: Index, ofConstraint: Bool)]] = [:]
        for row in indexColumns {
            let table: String = try row.get("table_name"), name: String = try row.get("index_name")
            var entry = try indexes[table, default: [:]][name]
                ?? (Index(columns: [], unique: try row.get("is_unique")), try row.get("of_constraint", as: Bool.self))
            entry.index.columns.append(try row.get("column_name"))
            indexes[table, default: [:]][name] = entry
        }
        for (table, byName) in indexes {
            for (name, entry) in byName {
                tables[table]?.indexes[entry.ofConstraint ? Index.constraintName(entry.index.columns) : name] = entry.index
            }
        }
        let referenceColumns = try await db.query("""
            SELECT c.conname::text AS name, t.relname::text AS table_name, r.relname::text AS referenced_table,
                   a.attname::text AS column_name, ra.attname::text AS referenced_column, c.confdeltype::text AS on_delete
            FROM pg_constraint c
            JOIN pg_class t ON t.oid = c.conrelid
            JOIN pg_class r ON r.oid = c.confrelid
            JOIN pg_namespace n ON n.oid = t.relnamespace
            CROSS JOIN LATERAL unnest(c.conkey, c.confkey) WITH ORDINALITY AS k(attnum, referenced_attnum, ord)
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
            JOIN pg_attribute ra ON ra.attrelid = r.oid AND ra.attnum = k.referenced_attnum
            WHERE n.nspname = current_schema() AND c.contype = 'f'
            ORDER BY t.relname, c.conname, k.ord
            """)
        var foreignKeys: [String: [String: ForeignKey]] = [:]
        for row in referenceColumns {
            let table: String = try row.get("table_name"), name: String = try row.get("name")
            var key = try foreignKeys[table, default: [:]][name] ?? ForeignKey(
                columns: [], table: try row.get("referenced_table"), referencedColumns: [],
                onDelete: postgresAction(try row.get("on_delete")))
            key.columns.append(try row.get("column_name"))
            key.referencedColumns.append(try row.get("referenced_column"))
            foreignKeys[table, default: [:]][name] = key
        }
        for (table, byName) in foreignKeys { tables[table]?.foreignKeys = Array(byName.values) }
        return SchemaCatalog(tables: tables)
    }

    private static func postgresFamily(_ dataType: String) -> TypeFamily {
        switch dataType {
        case "bigint", "integer", "smallint": .integer
        case "double precision", "real": .real
        case "text", "character varying", "character": .text
        case "bytea": .blob
        case "timestamp with time zone", "timestamp without time zone": .timestamp
        case "boolean": .boolean
        default: .other(dataType)
        }
    }

    /// `'point'::text` → `'point'`, `false` → `0`: the default as SQLite writes it.
    private static func postgresDefault(_ expression: String) -> String {
        let literal = expression.range(of: #"::[a-z ]+$"#, options: .regularExpression).map { String(expression[..<$0.lowerBound]) } ?? expression
        switch literal {
        case "false": return "0"
        case "true": return "1"
        default: return literal
        }
    }

    /// `pg_constraint.confdeltype`'s letter, in words as SQLite's pragma gives them.
    private static func postgresAction(_ letter: String) -> String {
        switch letter {
        case "a": "NO ACTION"
        case "r": "RESTRICT"
        case "c": "CASCADE"
        case "n": "SET NULL"
        case "d": "SET DEFAULT"
        default: "unknown (\(letter))"
        }
    }
}

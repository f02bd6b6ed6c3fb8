/// The schema: every migration, in the order they apply, each in its own file
/// (`SchemaMigration+v1.swift` …). To change the schema, add a file with the next migration
/// and append it here; never edit one that has shipped (databases hold its identifier and
/// its effects). `SchemaCatalogTests` checks that both engines, migrated from empty, end with
/// the same tables, columns, keys and indexes.
package enum SchemaMigrations {
    package static let all: [SchemaMigration] = [.v1, .v2, .v3, .v4, .v5, .v6, .v7, .v8, .v9, .v10, .v11, .v12, .v13, .v14, .v15, .v16, .v17]
}

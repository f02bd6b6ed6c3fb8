import Foundation
import NIOCore
import PostgresNIO

/// `?` placeholders as PostgreSQL numbers them (`$1`, `$2`, …), leaving quoted text alone.
package enum PostgresPlaceholders {
    package static func numbered(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        var quoted = false
        for character in sql {
            if character == "'" { quoted.toggle() }
            if character == "?", !quoted {
                number += 1
                out += "$\(number)"
            } else {
                out.append(character)
            }
        }
        return out
    }
}

extension PostgresBindings {
    package mutating func append(_ value: SQLValue) throws {
        switch value {
        case .null: appendNull()
        case .integer(let value): append(value)
        case .real(let value): append(value)
        case .text(let value): append(value)
        case .blob(let value): append(ByteBuffer(bytes: value))
        case .date(let value): append(value)
        case .bool(let value): append(value)
        }
    }
}

extension SQLValue {
    package init(cell: PostgresCell) throws {
        guard cell.bytes != nil else {
            self = .null
            return
        }
        switch cell.dataType {
        case .bool: self = .bool(try cell.decode(Bool.self))
        case .int2, .int4, .int8: self = .integer(try cell.decode(Int64.self))
        case .float4, .float8: self = .real(try cell.decode(Double.self))
        case .bytea: self = .blob(Data(try cell.decode(ByteBuffer.self).readableBytesView))
        case .timestamptz, .timestamp: self = .date(try cell.decode(Date.self))
        case .numeric: self = .text("\(try cell.decode(Decimal.self))")
        default: self = .text(try cell.decode(String.self))
        }
    }
}

/// Typed access to the `key=value` lines of one tree block, with errors that name the
/// key, its line and the tree.
struct TreeFieldReader {
    let values: [Substring: (value: Substring, line: Int)]
    let tree: Int
    let blockLine: Int

    func error(_ reason: String, line: Int? = nil) -> ModelLoadError {
        ModelLoadError(line: line ?? blockLine, tree: tree, "Tree \(tree): \(reason)")
    }

    private func field(_ key: Substring) throws(ModelLoadError) -> (value: Substring, line: Int) {
        guard let v = values[key] else { throw error("the '\(key)=' line is missing.") }
        return v
    }

    func integer(_ key: Substring) throws(ModelLoadError) -> Int {
        let (value, line) = try field(key)
        guard let n = Int(value) else { throw error("'\(key)' should be an integer, found '\(value.prefix(40))'.", line: line) }
        return n
    }

    func optionalInteger(_ key: Substring) throws(ModelLoadError) -> Int? {
        values[key] == nil ? nil : try integer(key)
    }

    func integers(_ key: Substring, count: Int) throws(ModelLoadError) -> [Int] {
        try list(key, count: count) { Int($0) }
    }

    func optionalIntegers(_ key: Substring, count: Int) throws(ModelLoadError) -> [Int]? {
        values[key] == nil ? nil : try integers(key, count: count)
    }

    func doubles(_ key: Substring, count: Int) throws(ModelLoadError) -> [Double] {
        try list(key, count: count) { token in
            let fast = token.utf8.withContiguousStorageIfAvailable { DecimalNumber.parse($0) } ?? nil
            // `inf`/`-inf` are rare in model files and not decimal numbers: the standard library reads them.
            return (fast ?? Double(token)).flatMap { $0.isNaN ? nil : $0 }
        }
    }

    func optionalDoubles(_ key: Substring, count: Int) throws(ModelLoadError) -> [Double]? {
        values[key] == nil ? nil : try doubles(key, count: count)
    }

    func words(_ key: Substring, count: Int) throws(ModelLoadError) -> [UInt32] {
        try list(key, count: count) { UInt32($0) }
    }

    /// A space-separated list of exactly `count` values (LightGBM may pad with extra spaces).
    /// Tokens are read as bytes: this runs for every number of the model.
    private func list<T>(_ key: Substring, count: Int, _ convert: (Substring) -> T?) throws(ModelLoadError) -> [T] {
        let (value, line) = try field(key)
        var result: [T] = []
        result.reserveCapacity(count)
        for token in value.utf8.split(separator: UInt8(ascii: " ")) {
            guard let v = convert(Substring(token)) else {
                throw error("'\(key)' holds '\(Substring(token).prefix(40))', which is not a valid \(T.self).", line: line)
            }
            result.append(v)
        }
        guard result.count == count else {
            throw error("'\(key)' has \(result.count) values, expected \(count).", line: line)
        }
        return result
    }
}

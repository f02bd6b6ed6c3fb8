import Foundation

/// Reads LightGBM's text model format (versions v3 and v4, as written by LightGBM 3.x/4.x)
/// into `ModelDefinition`, validating everything prediction relies on so that a loaded model
/// can never index out of bounds or loop: a damaged file is a `ModelLoadError` naming the line.
struct LightGBMTextParser {
    private let lines: [Substring]
    private var index = 0

    init(text: String) {
        // Split on bytes, not Characters: grapheme breaking would cost more than the parse itself.
        lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { bytes in
            let line = Substring(bytes)
            return line.utf8.last == UInt8(ascii: "\r") ? line.dropLast() : line
        }
    }

    /// 1-based line number of `lines[i]`.
    private func lineNumber(_ i: Int) -> Int { i + 1 }

    mutating func parse() throws(ModelLoadError) -> ModelDefinition {
        guard let first = lines.first(where: { !$0.isEmpty }), first == "tree" else {
            throw ModelLoadError(line: 1, "This is not a LightGBM text model: the first line should be 'tree'.")
        }
        let header = try parseHeader()
        var trees: [Tree] = []
        var sawEnd = false
        while index < lines.count {
            let line = lines[index]
            if line.hasPrefix("Tree=") {
                let treeNumber = Int(line.dropFirst(5)) ?? trees.count
                guard treeNumber == trees.count else {
                    throw ModelLoadError(line: lineNumber(index), tree: treeNumber, "Trees are out of order: expected Tree=\(trees.count).")
                }
                index += 1
                trees.append(try parseTree(number: treeNumber, header: header))
            } else if line == "end of trees" {
                sawEnd = true
                index += 1
                break
            } else if line.isEmpty {
                index += 1
            } else {
                throw ModelLoadError(line: lineNumber(index), "Unexpected line between trees: '\(line.prefix(60))'.")
            }
        }
        guard sawEnd else {
            throw ModelLoadError(
                line: lines.count, tree: trees.count,
                "The model file ends before 'end of trees': it is truncated (\(trees.count) complete trees read).")
        }
        if let expected = header.treeSizes, expected != trees.count {
            throw ModelLoadError(line: header.treeSizesLine, "tree_sizes lists \(expected) trees but the file holds \(trees.count): it is truncated or edited.")
        }
        guard !trees.isEmpty else { throw ModelLoadError("The model holds no trees.") }
        guard trees.count % header.treesPerIteration == 0 else {
            throw ModelLoadError("The model holds \(trees.count) trees, not a multiple of num_tree_per_iteration=\(header.treesPerIteration).")
        }
        let trailer = try parseTrailer()
        let categorical = try categoricalFeatures(header: header, trees: trees, declared: trailer.declaredCategorical)
        if let pandas = trailer.pandasCategorical, pandas.count != categorical.count {
            throw ModelLoadError(
                line: trailer.pandasLine,
                "pandas_categorical lists \(pandas.count) columns but the model has \(categorical.count) categorical features.")
        }
        return ModelDefinition(
            version: header.version, featureNames: header.featureNames, featureInfos: header.featureInfos,
            sigmoid: header.sigmoid, averageOutput: header.averageOutput, trees: trees,
            categoricalFeatures: categorical, pandasCategorical: trailer.pandasCategorical)
    }

    // MARK: Header

    private struct Header {
        var version = "v3"
        var featureNames: [String] = []
        var featureInfos: [String] = []
        var sigmoid = 1.0
        var averageOutput = false
        var treesPerIteration = 1
        var treeSizes: Int?
        var treeSizesLine: Int?
    }

    private mutating func parseHeader() throws(ModelLoadError) -> Header {
        var values: [Substring: (value: Substring, line: Int)] = [:]
        while index < lines.count, !lines[index].hasPrefix("Tree=") {
            let line = lines[index]
            if line == "end of trees" { break }
            if let eq = line.firstIndex(of: "=") {
                values[line[..<eq]] = (line[line.index(after: eq)...], lineNumber(index))
            } else if !line.isEmpty {
                values[line] = ("", lineNumber(index))
            }
            index += 1
        }
        func required(_ key: Substring) throws(ModelLoadError) -> (value: Substring, line: Int) {
            guard let v = values[key] else { throw ModelLoadError("The model header has no '\(key)=' line.") }
            return v
        }
        func integer(_ key: Substring) throws(ModelLoadError) -> Int {
            let (value, line) = try required(key)
            guard let n = Int(value) else { throw ModelLoadError(line: line, "'\(key)' should be an integer, found '\(value)'.") }
            return n
        }
        var header = Header()
        if let version = values["version"] {
            guard version.value == "v3" || version.value == "v4" || version.value == "v2" else {
                throw ModelLoadError(line: version.line, "Model format \(version.value) is not supported (v2, v3 and v4 are).")
            }
            header.version = String(version.value)
        }
        let numClass = try integer("num_class")
        header.treesPerIteration = values["num_tree_per_iteration"] == nil ? numClass : try integer("num_tree_per_iteration")
        let objective = try required("objective")
        let parts = objective.value.split(separator: " ")
        let name = parts.first.map(String.init) ?? ""
        guard name == "binary" else {
            throw ModelLoadError(
                line: objective.line,
                "Objective '\(name)' is not supported: LoanRisk scores binary classifiers (objective=binary) only.")
        }
        guard numClass == 1, header.treesPerIteration == 1 else {
            throw ModelLoadError(line: values["num_class"]?.line, "A binary model must have num_class=1 and one tree per iteration.")
        }
        for part in parts.dropFirst() where part.hasPrefix("sigmoid:") {
            guard let s = Double(part.dropFirst(8)), s.isFinite, s > 0 else {
                throw ModelLoadError(line: objective.line, "Invalid sigmoid parameter '\(part)'.")
            }
            header.sigmoid = s
        }
        let maxFeature = try integer("max_feature_idx")
        let names = try required("feature_names")
        header.featureNames = names.value.split(separator: " ").map(String.init)
        guard header.featureNames.count == maxFeature + 1 else {
            throw ModelLoadError(line: names.line, "feature_names lists \(header.featureNames.count) names but max_feature_idx=\(maxFeature).")
        }
        guard Set(header.featureNames).count == header.featureNames.count else {
            throw ModelLoadError(line: names.line, "feature_names contains a duplicate name.")
        }
        let infos = try required("feature_infos")
        header.featureInfos = infos.value.split(separator: " ").map(String.init)
        guard header.featureInfos.count == header.featureNames.count else {
            throw ModelLoadError(line: infos.line, "feature_infos has \(header.featureInfos.count) entries for \(header.featureNames.count) features.")
        }
        header.averageOutput = values["average_output"] != nil
        if let sizes = values["tree_sizes"] {
            header.treeSizes = sizes.value.split(separator: " ").count
            header.treeSizesLine = sizes.line
        }
        return header
    }

    // MARK: Trees

    private mutating func parseTree(number: Int, header: Header) throws(ModelLoadError) -> Tree {
        var values: [Substring: (value: Substring, line: Int)] = [:]
        let start = index
        while index < lines.count, !lines[index].isEmpty {
            let line = lines[index]
            guard let eq = line.utf8.firstIndex(of: UInt8(ascii: "=")) else {
                throw ModelLoadError(line: lineNumber(index), tree: number, "Expected 'key=value' in the tree block, found '\(line.prefix(60))'.")
            }
            values[line[..<eq]] = (line[line.utf8.index(after: eq)...], lineNumber(index))
            index += 1
        }
        if index >= lines.count {
            throw ModelLoadError(line: lines.count, tree: number, "The model file ends inside tree \(number): it is truncated.")
        }
        let reader = TreeFieldReader(values: values, tree: number, blockLine: lineNumber(start))
        let numLeaves = try reader.integer("num_leaves")
        let numCat = try reader.optionalInteger("num_cat") ?? 0
        guard numLeaves >= 1 else { throw reader.error("num_leaves must be at least 1, found \(numLeaves).") }
        guard numCat >= 0 else { throw reader.error("num_cat must not be negative.") }
        let leafValues: [Double] = try reader.doubles("leaf_value", count: numLeaves)
        let isLinear = (try reader.optionalInteger("is_linear") ?? 0) != 0
        let leafCounts = try reader.optionalDoubles("leaf_count", count: numLeaves) ?? Array(repeating: 0, count: numLeaves)
        let linear = isLinear ? try parseLinearLeaves(reader, numLeaves: numLeaves, featureCount: header.featureNames.count) : nil
        guard numLeaves > 1 else {
            return Tree(
                leafValues: leafValues, splitFeatures: [], thresholds: [], decisionTypes: [], leftChildren: [],
                rightChildren: [], internalCounts: [], leafCounts: leafCounts, catBoundaries: [], catThreshold: [],
                linearLeaves: linear)
        }
        let nodes = numLeaves - 1
        let splitFeatures: [Int] = try reader.integers("split_feature", count: nodes)
        let thresholds: [Double] = try reader.doubles("threshold", count: nodes)
        let rawTypes: [Int] = try reader.optionalIntegers("decision_type", count: nodes) ?? Array(repeating: 0, count: nodes)
        let left: [Int] = try reader.integers("left_child", count: nodes)
        let right: [Int] = try reader.integers("right_child", count: nodes)
        let internalCounts = try reader.optionalDoubles("internal_count", count: nodes) ?? Array(repeating: 0, count: nodes)
        var types: [DecisionType] = []
        types.reserveCapacity(nodes)
        for (i, raw) in rawTypes.enumerated() {
            guard let t = DecisionType(rawValue: raw) else { throw reader.error("decision_type \(raw) of node \(i) is not valid.") }
            types.append(t)
        }
        for (i, f) in splitFeatures.enumerated() where !(0..<header.featureNames.count).contains(f) {
            throw reader.error("node \(i) splits on feature \(f), but the model has \(header.featureNames.count) features.")
        }
        var catBoundaries: [Int] = []
        var catThreshold: [UInt32] = []
        if numCat > 0 {
            catBoundaries = try reader.integers("cat_boundaries", count: numCat + 1)
            guard catBoundaries.first == 0, zip(catBoundaries, catBoundaries.dropFirst()).allSatisfy({ $0 <= $1 }),
                  let words = catBoundaries.last else {
                throw reader.error("cat_boundaries must start at 0 and never decrease.")
            }
            catThreshold = try reader.words("cat_threshold", count: words)
        }
        for i in 0..<nodes where types[i].isCategorical {
            let k = thresholds[i]
            guard k >= 0, k < Double(numCat), k == k.rounded(.towardZero) else {
                throw reader.error("categorical node \(i) refers to category set \(k), but the tree has \(numCat).")
            }
        }
        try checkStructure(left: left, right: right, numLeaves: numLeaves, reader: reader)
        return Tree(
            leafValues: leafValues, splitFeatures: splitFeatures, thresholds: thresholds, decisionTypes: types,
            leftChildren: left, rightChildren: right, internalCounts: internalCounts, leafCounts: leafCounts,
            catBoundaries: catBoundaries, catThreshold: catThreshold, linearLeaves: linear)
    }

    private func parseLinearLeaves(_ reader: TreeFieldReader, numLeaves: Int, featureCount: Int) throws(ModelLoadError) -> [Tree.LinearLeaf] {
        let constants: [Double] = try reader.doubles("leaf_const", count: numLeaves)
        let counts: [Int] = try reader.integers("num_features", count: numLeaves)
        let total = counts.reduce(0, +)
        let features: [Int] = try reader.integers("leaf_features", count: total)
        let coefficients: [Double] = try reader.doubles("leaf_coeff", count: total)
        var leaves: [Tree.LinearLeaf] = []
        var offset = 0
        for leaf in 0..<numLeaves {
            let range = offset..<(offset + counts[leaf])
            for f in features[range] where !(0..<featureCount).contains(f) {
                throw reader.error("linear leaf \(leaf) uses feature \(f), but the model has \(featureCount) features.")
            }
            leaves.append(.init(constant: constants[leaf], features: Array(features[range]), coefficients: Array(coefficients[range])))
            offset += counts[leaf]
        }
        return leaves
    }

    /// Every internal node and every leaf must be reached exactly once from the root.
    private func checkStructure(left: [Int], right: [Int], numLeaves: Int, reader: TreeFieldReader) throws(ModelLoadError) {
        let nodes = left.count
        var seenNodes = [Bool](repeating: false, count: nodes)
        var seenLeaves = [Bool](repeating: false, count: numLeaves)
        var stack = [0]
        seenNodes[0] = true
        while let node = stack.popLast() {
            for child in [left[node], right[node]] {
                if child >= 0 {
                    guard child < nodes, !seenNodes[child] else {
                        throw reader.error("node \(node) has an invalid or repeated child \(child).")
                    }
                    seenNodes[child] = true
                    stack.append(child)
                } else {
                    let leaf = ~child
                    guard leaf < numLeaves, !seenLeaves[leaf] else {
                        throw reader.error("node \(node) points to an invalid or repeated leaf \(leaf).")
                    }
                    seenLeaves[leaf] = true
                }
            }
        }
        guard !seenNodes.contains(false), !seenLeaves.contains(false) else {
            throw reader.error("some nodes or leaves cannot be reached from the root.")
        }
    }

    // MARK: Trailer

    private struct Trailer {
        var declaredCategorical: [Int]?
        var pandasCategorical: [[PandasCategory]]?
        var pandasLine: Int?
    }

    private mutating func parseTrailer() throws(ModelLoadError) -> Trailer {
        var trailer = Trailer()
        while index < lines.count {
            let line = lines[index]
            if line.hasPrefix("[categorical_feature: ") && line.hasSuffix("]") {
                let list = line.dropFirst("[categorical_feature: ".count).dropLast()
                trailer.declaredCategorical = list.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            } else if line.hasPrefix("pandas_categorical:") {
                trailer.pandasLine = lineNumber(index)
                trailer.pandasCategorical = try PandasCategory.parseList(
                    String(line.dropFirst("pandas_categorical:".count)), line: lineNumber(index))
            }
            index += 1
        }
        return trailer
    }

    /// Categorical features in index order: those the training parameters declare, those
    /// split on categorically, and those whose `feature_infos` is a category list.
    private func categoricalFeatures(header: Header, trees: [Tree], declared: [Int]?) throws(ModelLoadError) -> [Int] {
        var set = Set<Int>()
        for f in declared ?? [] {
            guard (0..<header.featureNames.count).contains(f) else {
                throw ModelLoadError("categorical_feature lists feature \(f), but the model has \(header.featureNames.count) features.")
            }
            set.insert(f)
        }
        for tree in trees {
            for (node, type) in tree.decisionTypes.enumerated() where type.isCategorical {
                set.insert(tree.splitFeatures[node])
            }
        }
        for (f, info) in header.featureInfos.enumerated() where !info.hasPrefix("[") && info != "none" {
            set.insert(f)
        }
        for tree in trees {
            for (node, type) in tree.decisionTypes.enumerated() where !type.isCategorical && set.contains(tree.splitFeatures[node]) {
                throw ModelLoadError("Feature '\(header.featureNames[tree.splitFeatures[node]])' is used both as categorical and as numeric.")
            }
        }
        return set.sorted()
    }
}

/// Why a model's contributions cannot be computed.
public struct ExplanationError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
}

extension LightGBMModel {
    /// Rows explained together, tree by tree, so a tree's tables stay in cache across them.
    static let contributionBlockRows = 256

    /// Exact TreeSHAP contributions for every row, as LightGBM's `pred_contrib` gives them:
    /// `featureCount + 1` values a row (feature order, then the expected value), in raw score
    /// units, each row summing to its raw score (before random-forest averaging, as LightGBM).
    /// Computed by Linear TreeSHAP (see `LinearTreeSHAPPlan`); linear-leaf models are refused,
    /// as LightGBM refuses them.
    public func contributions(_ matrix: FeatureMatrix, threads: Int = 1) throws(ExplanationError) -> [Double] {
        guard !hasLinearLeaves else {
            throw ExplanationError(description: "Contributions are not defined for linear-leaf models (LightGBM refuses them too).")
        }
        let width = featureCount + 1
        let rows = matrix.rowCount
        let trees = self.trees
        let prepared = contributionPlans.prepared(trees)
        return matrix.values.withUnsafeBufferPointer { values in
            [Double](unsafeUninitializedCapacity: rows * width) { output, initialized in
                guard let inputBase = values.baseAddress, let outputBase = output.baseAddress else { return }
                outputBase.initialize(repeating: 0, count: rows * width)
                let input = WorkerReadPointer(base: inputBase)
                let out = WorkerPointer(base: outputBase)
                ParallelRows.run(rowCount: rows, threads: threads, minimumRows: 8) { range in
                    Self.explain(rows: range, trees: trees, prepared: prepared, input: input.base, output: out.base, width: width)
                }
                initialized = rows * width
            }
        }
    }

    private static func explain(
        rows: Range<Int>, trees: [Tree], prepared: ContributionPlans.Prepared,
        input: UnsafePointer<Double>, output: UnsafeMutablePointer<Double>, width: Int
    ) {
        let linear = LinearTreeSHAP(nodes: prepared.maxNodes, lanes: prepared.maxLanes)
        let recursions = prepared.recursionTrees.map { TreeSHAP(tree: trees[$0]) }
        let featureCount = width - 1
        trees.withUnsafeBufferPointer { treeBuffer in
        prepared.slots.withUnsafeBufferPointer { slots in
        prepared.nodes.withUnsafeBufferPointer { nodeBuffer in
            prepared.tables.withUnsafeBytes { tableBytes in
                guard let treeBase = treeBuffer.baseAddress, let nodes = nodeBuffer.baseAddress, let tables = tableBytes.baseAddress else { return }
                var blockStart = rows.lowerBound
                while blockStart < rows.upperBound {
                    let block = blockStart..<min(blockStart + contributionBlockRows, rows.upperBound)
                    for group in prepared.groups {
                        let groupSlots = UnsafeBufferPointer(rebasing: slots[group.slots])
                        for row in block {
                            linear.accumulate(groupSlots, lanes: group.lanes, nodes: nodes, tables: tables, trees: treeBase,
                                              row: input + row * featureCount, into: output + row * width)
                        }
                    }
                    if !prepared.patterns.entries.isEmpty {
                        for row in block {
                            prepared.patterns.accumulate(
                                row: input + row * featureCount, into: output + row * width, nodes: nodes, trees: treeBase)
                        }
                    }
                    for recursion in recursions {
                        for row in block {
                            recursion.accumulate(row: input + row * featureCount, into: output + row * width, featureCount: featureCount)
                        }
                    }
                    for row in block { output[row * width + featureCount] = prepared.expectedValue }
                    blockStart = block.upperBound
                }
            }
        }
        }
        }
    }
}

/// Exact path-dependent TreeSHAP contributions of a tree model, shared by every library
/// whose trees are in `Tree` form (LightGBM's own, XGBoost's rewritten by
/// `Tree.init(xgboost:weight:number:)`): Linear TreeSHAP for planned trees, tabled decision
/// patterns for small ones, the classic recursion for the rest.
enum TreeContributions {
    /// Rows explained together, tree by tree, so a tree's tables stay in cache across them.
    static let blockRows = 256

    /// `featureCount + 1` values a row: each feature's contribution, then the expected value
    /// (the trees' expectations plus `baseValue`, the score every row starts from).
    static func compute(
        trees: [Tree], plans: ContributionPlans, matrix: FeatureMatrix, threads: Int, baseValue: Double = 0
    ) -> [Double] {
        let width = matrix.featureCount + 1
        let rows = matrix.rowCount
        let prepared = plans.prepared(trees)
        // Added only when there is one, so LightGBM's expected value keeps its bits (even −0).
        let expected = baseValue == 0 ? prepared.expectedValue : baseValue + prepared.expectedValue
        return matrix.values.withUnsafeBufferPointer { values in
            [Double](unsafeUninitializedCapacity: rows * width) { output, initialized in
                guard let inputBase = values.baseAddress, let outputBase = output.baseAddress else { return }
                outputBase.initialize(repeating: 0, count: rows * width)
                let input = WorkerReadPointer(base: inputBase)
                let out = WorkerPointer(base: outputBase)
                ParallelRows.run(rowCount: rows, threads: threads, minimumRows: 8) { range in
                    explain(rows: range, trees: trees, prepared: prepared, expected: expected,
                            input: input.base, output: out.base, width: width)
                }
                initialized = rows * width
            }
        }
    }

    private static func explain(
        rows: Range<Int>, trees: [Tree], prepared: ContributionPlans.Prepared, expected: Double,
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
                    let block = blockStart..<min(blockStart + blockRows, rows.upperBound)
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
                    for row in block { output[row * width + featureCount] = expected }
                    blockStart = block.upperBound
                }
            }
        }
        }
        }
    }
}

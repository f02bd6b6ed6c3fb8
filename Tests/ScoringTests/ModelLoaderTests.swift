import Foundation
import Scoring
import Testing

/// The loader refuses what it cannot score exactly, saying what and where.
@Suite struct ModelLoaderTests {
    static func text(_ name: String) throws -> String {
        try String(contentsOf: Fixtures.goldenCase(name).appendingPathComponent("model.txt"), encoding: .utf8)
    }

    static func loadError(_ text: String) -> ModelLoadError? {
        do {
            _ = try LightGBMModel(text: text)
            return nil
        } catch {
            return error
        }
    }

    @Test func refusesOtherObjectivesNamingThem() throws {
        let multiclass = try #require(Self.loadError(try Self.text("unsupported_multiclass")))
        #expect(multiclass.reason.contains("multiclass"))
        let regression = try #require(Self.loadError(try Self.text("unsupported_regression")))
        #expect(regression.reason.contains("regression"))
        #expect(regression.line != nil)
    }

    @Test func acceptsVersion3Files() throws {
        let v4 = try Self.text("mixed_realistic")
        let v3 = v4.replacingOccurrences(of: "version=v4", with: "version=v3")
        let a = try LightGBMModel(text: v4)
        let b = try LightGBMModel(text: v3)
        #expect(b.formatVersion == "v3")
        #expect(a.trees.count == b.trees.count)
    }

    @Test func acceptsWindowsLineEnds() throws {
        let text = try Self.text("categorical_pandas_many_levels")
        let model = try LightGBMModel(text: text.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(model.pandasCategorical != nil)
    }

    @Test func truncatedFileIsALoadErrorAtItsEnd() throws {
        let text = try Self.text("mixed_realistic")
        // Cut at many points: every cut is refused, none crashes or loads a partial model.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let end = try #require(lines.firstIndex(of: "end of trees"))
        for cut in Swift.stride(from: 1, to: end, by: max(1, end / 40)) {
            let truncated = lines[..<cut].joined(separator: "\n")
            let error = Self.loadError(truncated)
            #expect(error != nil, "a file cut at line \(cut) must not load")
        }
        let atTreeEnd = try #require(Self.loadError(lines[..<(end - 1)].joined(separator: "\n")))
        #expect(atTreeEnd.reason.contains("truncated"))
    }

    @Test func malformedTreeNamesLineAndTree() throws {
        let text = try Self.text("numeric_missing_nan")
        let broken = text.replacingOccurrences(of: "Tree=3\nnum_leaves=", with: "Tree=3\nnum_leaves=x")
        let error = try #require(Self.loadError(broken))
        #expect(error.tree == 3)
        #expect(error.line != nil)
        #expect(error.description.contains("num_leaves"))
    }

    @Test func childPointingOutsideTheTreeIsRefused() throws {
        let text = try Self.text("numeric_missing_nan")
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let index = try #require(lines.firstIndex { $0.hasPrefix("left_child=") })
        var children = lines[index].dropFirst("left_child=".count).split(separator: " ").map(String.init)
        children[0] = "999"
        lines[index] = "left_child=" + children.joined(separator: " ")
        let error = try #require(Self.loadError(lines.joined(separator: "\n")))
        #expect(error.tree == 0)
        #expect(error.reason.contains("child"))
    }

    @Test func wrongValueCountIsRefused() throws {
        let text = try Self.text("stumps")
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let index = try #require(lines.firstIndex { $0.hasPrefix("threshold=") && $0.count > "threshold=".count })
        lines[index] += " 1.5"
        let error = try #require(Self.loadError(lines.joined(separator: "\n")))
        #expect(error.reason.contains("threshold"))
    }

    @Test func garbageIsNotAModel() {
        #expect(Self.loadError("hello\nworld\n") != nil)
        #expect(Self.loadError("") != nil)
    }

    @Test func pandasCategoricalMustMatchTheCategoricalFeatures() throws {
        let text = try Self.text("categorical_pandas_many_levels")
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let index = try #require(lines.lastIndex { $0.hasPrefix("pandas_categorical:") })
        lines[index] = #"pandas_categorical:[["a","b"]]"#
        let error = try #require(Self.loadError(lines.joined(separator: "\n")))
        #expect(error.reason.contains("pandas_categorical"))
    }

    @Test func linearLeavesAreRead() throws {
        let model = try LightGBMModel(text: try Self.text("linear_tree"))
        #expect(model.trees.contains { $0.isLinear })
    }
}

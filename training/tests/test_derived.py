"""The derived-feature executor: every op, missing values, zero denominators, chaining."""

import math

import numpy as np
import pandas as pd
import pytest

from loanrisk_training import data, derived

FEATURES = [
    {"name": "grade", "kind": "categorical"},
    {"name": "amount", "kind": "numeric"},
    {"name": "income", "kind": "numeric"},
]
CATS = {"grade": ["A", "B", "C"]}
SPEC = [
    {"name": "grade_rank", "op": "map", "source": "grade", "mapping": {"A": 1, "B": 2, "Z": 9}},
    {"name": "loan_to_income", "op": "ratio", "numerator": "amount", "denominator": "income"},
    {"name": "gap", "op": "difference", "left": "income", "right": "amount"},
    {"name": "scaled", "op": "product", "left": "loan_to_income", "right": "grade_rank"},
]


def run(rows):
    raw = data.raw_frame(["grade", "amount", "income"], rows, FEATURES, CATS)
    return derived.add_derived(raw, SPEC)


def test_operations_are_plain_ieee_arithmetic():
    out = run([["B", "3000", "45000"]]).iloc[0]
    assert out["grade_rank"] == 2.0
    assert out["loan_to_income"] == 3000.0 / 45000.0
    assert out["gap"] == 42000.0
    assert out["scaled"] == (3000.0 / 45000.0) * 2.0


def test_map_unknown_unmapped_and_missing_labels_are_missing():
    out = run([["C", "1", "1"], ["Z", "1", "1"], ["", "1", "1"], ["NA", "1", "1"], [" A ", "1", "1"]])
    assert np.isnan(out["grade_rank"][:4]).all()          # C unmapped; Z not a category; empty; NA
    assert out["grade_rank"].iloc[4] == 1.0               # cells are trimmed like LoanRisk does


def test_ratio_zero_or_missing_denominator_is_missing():
    out = run([["A", "3000", "0"], ["A", "3000", "-0"], ["A", "3000", ""], ["A", "", "100"], ["A", "0", "100"]])
    ratio = out["loan_to_income"].to_numpy()
    assert np.isnan(ratio[:4]).all()
    assert ratio[4] == 0.0
    assert np.isnan(out["scaled"].iloc[0])                # missing propagates into later derived features


def test_difference_and_product_propagate_missing():
    out = run([["A", "", "100"], ["", "5", "100"]])
    assert np.isnan(out["gap"].iloc[0])
    assert out["gap"].iloc[1] == 95.0
    assert np.isnan(out["scaled"].iloc[1])                # grade missing -> rank missing -> product missing


def test_model_frame_picks_model_order():
    raw = data.raw_frame(["grade", "amount", "income"], [["A", "1", "2"]], FEATURES, CATS)
    frame = derived.model_frame(raw, SPEC, ["scaled", "grade", "amount"])
    assert list(frame.columns) == ["scaled", "grade", "amount"]
    assert isinstance(frame["grade"].dtype, pd.CategoricalDtype)
    assert list(frame["grade"].cat.categories) == ["A", "B", "C"]


@pytest.mark.parametrize("bad", [
    [{"name": "x", "op": "map", "source": "amount", "mapping": {}}],                        # map of a numeric
    [{"name": "x", "op": "ratio", "numerator": "amount", "denominator": "later"}],          # unknown column
    [{"name": "x", "op": "ratio", "numerator": "grade", "denominator": "amount"}],          # arithmetic on labels
    [{"name": "amount", "op": "difference", "left": "amount", "right": "income"}],         # name clash
    [{"name": "x", "op": "log", "source": "amount"}],                                      # unknown op
])
def test_invalid_specs_are_refused(bad):
    with pytest.raises(derived.SpecError):
        derived.validate_spec({f["name"]: f["kind"] for f in FEATURES}, bad)


def test_number_parsing_matches_the_scorer():
    assert data.parse_number(" 13.99 ", "x") == 13.99
    assert math.isnan(data.parse_number("null", "x"))
    with pytest.raises(data.DataError):
        data.parse_number("1,000", "x")
    with pytest.raises(data.DataError):
        data.parse_number("inf", "x")


def test_a_derived_unit_is_words_for_arithmetic_only():
    kinds = {f["name"]: f["kind"] for f in FEATURES}
    derived.validate_spec(kinds, [{**SPEC[1], "unit": "share"}, {**SPEC[2], "unit": "times"}])
    for bad in [{**SPEC[0], "unit": "share"}, {**SPEC[1], "unit": ""}, {**SPEC[1], "unit": 100}]:
        with pytest.raises(derived.SpecError, match="unit"):
            derived.validate_spec(kinds, [bad])


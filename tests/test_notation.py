"""The notation table: one row per symbol, split by the notebook that first uses it."""

import pytest

from gdcore import notation


def test_every_symbol_names_a_notebook():
    assert {sym.first for sym in notation.TABLE} <= set(notation.NOTEBOOKS)


def test_a_part_of_the_table_keeps_only_its_notebooks():
    early = notation.markdown_table(("00", "01", "02", "03"))
    late = notation.markdown_table(("04", "05", "06"))
    assert "`lr`" in early  # η is first used in 00
    assert "`lr`" not in late
    assert "`beta1, beta2`" in late
    assert "`beta1, beta2`" not in early
    last = notation.markdown_table(("07", "08"))
    assert "`weight_decay`" in last
    assert "`weight_decay`" not in early + late
    # header (2 lines) + one line per symbol, and the three parts make the whole
    parts = (early, late, last)
    assert sum(part.count("\n") - 1 for part in parts) == len(notation.TABLE)
    assert notation.markdown_table().count("\n") == len(notation.TABLE) + 1


def test_v_rows_say_which_optimizer_they_belong_to():
    rows = [sym for sym in notation.TABLE if "v" in sym.code.split(", ")]
    meanings = " / ".join(sym.meaning for sym in rows)
    assert len(rows) == 2
    assert "momentum" in rows[0].meaning, meanings
    assert "Adam" in rows[1].meaning, meanings


def test_unknown_notebook_is_refused():
    with pytest.raises(ValueError, match=r"notebooks must name .*\['09'\]"):
        notation.markdown_table(["01", "09"])


def test_symbols_met_in_notebooks_00_to_03_are_in_the_first_part():
    # f(x) = x² is notebook 00's first slider; δ = θ − θ* and I appear in 03's
    # one-step argument for H_z = 2I.
    early = notation.markdown_table(("00", "01", "02", "03"))
    for code in ("`f`", "`delta`", "`np.eye(d)`"):
        assert code in early, code

"""Tests for gdcore.precision: gaps below 1e-12 of their scale print as zero."""

import math

import pytest

import gdcore as gd


@pytest.mark.parametrize(
    ("gap", "scale", "expected"),
    [
        (4.4e-31, 300.0**2, True),  # 4.4e-31 ≤ 1e-12 · 9e4 = 9e-8
        (1.2e-30, 1.0, True),
        (0.0, 0.0, True),  # an exact zero is zero at any scale
        (-9e-8, 300.0**2, True),  # the bound itself, from below: |−9e-8| ≤ 9e-8
        (1e-7, 300.0**2, False),  # just above 9e-8
        (1e-13, 0.0, False),  # nothing was subtracted: every digit counts
        (2.5e-3, 1.0, False),
    ],
)
def test_is_machine_zero(gap, scale, expected):
    assert gd.is_machine_zero(gap, scale) is expected


def test_rtol_moves_the_bound():
    # 1e-9 is noise at rtol 1e-8 (bound 1e-8), not at the default 1e-12.
    assert gd.is_machine_zero(1e-9, 1.0, rtol=1e-8)
    assert not gd.is_machine_zero(1e-9, 1.0)


def test_format_gap():
    assert gd.format_gap(4.4e-31, scale=9e4) == "0 (machine precision)"
    assert gd.format_gap(4.4e-31, scale=9e4, zero="below 1e-12") == "below 1e-12"
    assert gd.format_gap(2.5e-3, scale=1.0) == "0.0025"
    assert gd.format_gap(2.5e-3, 1.0, ".1e") == "2.5e-03"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"gap": "0"}, TypeError, "gap must be a real number, got '0'"),
        ({"gap": math.nan}, ValueError, "gap must be finite, got nan"),
        ({"gap": math.inf}, ValueError, "gap must be finite, got inf"),
        ({"scale": -1.0}, ValueError, "scale must be"),
        ({"rtol": -1e-12}, ValueError, "rtol must be"),
    ],
)
def test_bad_input_names_the_argument(kwargs, error, message):
    args = {"gap": 0.0, "scale": 1.0, **kwargs}
    with pytest.raises(error, match=message.replace("(", r"\(")):
        gd.is_machine_zero(**args)

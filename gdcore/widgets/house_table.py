"""The house-price stepper's table: every number of one update, as HTML.

:func:`step` writes one update out line by line (as the module docstring of
:mod:`gdcore.widgets.house` shows it); :func:`table` lays its numbers out
for the page, and the helpers format them so that the article's numbers
appear exactly (6,875, −275,000, 100.0015).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .. import plotting, stability
from ..runs import History

MINUS = "\N{MINUS SIGN}"
STYLE = (
    "<style>.gd-house{border-collapse:collapse}"
    ".gd-house td,.gd-house th{padding:0 0.5em;text-align:right}</style>"
)


class Step(NamedTuple):
    """Every number of one update θ_k → θ_{k+1}, in the scaling's units."""

    k: int
    w: float
    b: float
    feature: np.ndarray  # x or z
    y_hat: np.ndarray
    err: np.ndarray
    loss: float
    dw: float  # ∂L/∂w = (2/N) Σ eᵢ·xᵢ
    db: float  # ∂L/∂b = (2/N) Σ eᵢ
    lr_dw: float  # η·∂L/∂w
    lr_db: float  # η·∂L/∂b
    w_new: float
    b_new: float


def step(k: int, w: float, b: float, x: np.ndarray, y: np.ndarray, lr: float) -> Step:
    """One update written out, line by line as in the module docstring."""
    n = len(x)
    with np.errstate(all="ignore"):  # a diverging run: numbers may overflow
        y_hat = w * x + b
        err = y_hat - y
        loss = float(np.sum(err**2) / n)
        dw = float(2 / n * np.sum(err * x))
        db = float(2 / n * np.sum(err))
        lr_dw, lr_db = lr * dw, lr * db
        w_new, b_new = w - lr_dw, b - lr_db
    return Step(k, w, b, x, y_hat, err, loss, dw, db, lr_dw, lr_db, w_new, b_new)


def equation(w: float, b: float) -> str:
    """'ŷ = 0.05·x + 100' with w to 6 and b to 9 significant digits."""
    sign = "−" if b < 0 else "+"
    return f"ŷ = {plain(w, 6)}·x {sign} {plain(abs(b), 9)}".replace("-", MINUS)


def table(ex, s: Step, history: History) -> str:
    """The numbers of the update θ_k → θ_{k+1} on ``ex``, as HTML (about 3 kB)."""
    raw = not ex.controls["standardise"].value
    f = "x" if raw else "z"
    head = ["house", "x (sq ft)"] + ([] if raw else ["z = (x − μ)/σ"])
    head += ["y ($1000s)", f"ŷ = w·{f} + b", "e = ŷ − y", "e²", f"e·{f}"]
    rows = []
    for i in range(len(ex.y)):
        cells = [str(i + 1), html(ex.x[i])] + ([] if raw else [html(s.feature[i])])
        cells += [html(ex.y[i]), html(s.y_hat[i]), html(s.err[i])]
        cells += [html(s.err[i] ** 2), html(s.err[i] * s.feature[i])]
        rows.append(cells)
    with np.errstate(all="ignore"):
        sums = [np.sum(s.err), np.sum(s.err**2), np.sum(s.err * s.feature)]
    rows.append(["Σ"] + [""] * (len(head) - 4) + [html(v) for v in sums])
    houses = html_table(head, rows)

    n = len(ex.y)
    update = [
        ["", "w", "b"],
        [f"θ<sub>{s.k}</sub>", html(s.w), html(s.b)],
        [
            f"∂L/∂w = (2/{n})Σe·{f}, ∂L/∂b = (2/{n})Σe",
            html(s.dw),
            html(s.db),
        ],
        ["η × gradient", html(s.lr_dw), html(s.lr_db)],
        [
            f"θ<sub>{s.k + 1}</sub> = θ<sub>{s.k}</sub> − η × gradient",
            html(s.w_new),
            html(s.b_new),
        ],
    ]
    if not raw:
        w_raw, b_raw = ex.to_raw(s.w_new, s.b_new)
        update.append(["in sq ft: w/σ, b − w·μ/σ", html(w_raw), html(b_raw)])
    steps = html_table(update[0], update[1:])
    lr = ex.controls["lr"].value
    loss = f"L(θ<sub>{s.k}</sub>) = (1/{n})Σe² = <b>{html(s.loss)}</b>"
    if history.diverged and s.k == history.diverged_at:
        loss += " · the loss passed 10<sup>150</sup>: the run stops here"
    w_next, b_next = ex.to_raw(s.w_new, s.b_new)
    if np.isnan(plotting.visible_segment(w_next, b_next, ex.regression.ax, 0.0)[0][0]):
        loss += f" · the line after this update, {equation(w_next, b_next)}, "
        loss += "lies outside the figure"
    conditions = []
    for scaling in ex.scalings.values():
        text = (
            f"{scaling.name}: κ = {html(scaling.kappa, 4)}, stable for "
            f"η &lt; 2/λ<sub>max</sub> = {html(scaling.lr_bound, 4)}"
        )
        current = scaling.name == ex.scaling.name
        conditions.append(f"<b>{text}</b>" if current else text)
    verdict = "stable" if lr < ex.scaling.lr_bound else "not stable"
    factors = stability.step_factors(ex.scaling.H, lr)
    # 1 − 0.5·(2 − 4e−16) is rounding, not a factor: show it as 0
    steep, flat = np.where(np.abs(factors) < 1e-12, 0.0, factors)[[-1, 0]]
    factors = (
        f"each step multiplies the error along the steepest direction by "
        f"1 − ηλ<sub>max</sub> = {html(steep, 6)} and along the flattest by "
        f"1 − ηλ<sub>min</sub> = {html(flat, 8)}"
    )
    return (
        f"<div style='font-size:12px;line-height:1.35'>"
        f"<b>Update {s.k} → {s.k + 1}</b> ({ex.scaling.name}, "
        f"η = {html(lr, 4)}: {verdict}) · {loss}"
        f"<div style='display:flex;gap:2em'>{houses}{steps}</div>"
        f"{' · '.join(conditions)}<br>{factors}</div>"
    )


def plain(value: float, digits: int = 10) -> str:
    """A number for plain text: up to ``digits`` significant digits, 1.2e-07 style."""
    if not math.isfinite(value):
        return "overflow"
    if value != 0 and not 1e-4 <= abs(value) < min(1e9, 10.0**digits):
        return f"{value:.{digits - 1}e}".replace("e-0", "e-").replace("e+0", "e+")
    return f"{value:,.{digits}g}"


def html(value: float, digits: int = 10) -> str:
    """A number for the table: thousands separated, × 10ⁿ when very large or small.

    Ten significant digits by default, trailing zeros dropped, so that the
    article's numbers appear exactly: 6,875, −275,000, 100.0015, 100.000015.
    """
    value = float(value) + 0.0  # −0.0 becomes 0.0
    if not math.isfinite(value):
        return "overflow"
    if value != 0 and not 1e-4 <= abs(value) < min(1e9, 10.0**digits):
        mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        text = f"{mantissa}×10<sup>{int(exponent)}</sup>"
    else:
        text = f"{value:,.{digits}g}"
    return text.replace("-", MINUS)


def html_table(head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th>{h}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table class='gd-house'><tr>{th}</tr>{body}</table>"

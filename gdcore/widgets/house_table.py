"""The house-price stepper's table: every number of one update, as HTML.

:func:`step` writes one update out line by line, as in :mod:`gdcore.widgets.house`;
:func:`table` lays its numbers out, formatted so that the article's numbers appear
exactly (6,875, −275,000, 100.0015).
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
    w_new: float  # w − η·∂L/∂w
    b_new: float  # b − η·∂L/∂b


def step(k: int, w: float, b: float, x: np.ndarray, y: np.ndarray, lr: float) -> Step:
    """The update from θ_k = (w, b), one line per formula."""
    n = len(x)
    with np.errstate(all="ignore"):  # a diverging run: numbers may overflow
        y_hat = w * x + b
        err = y_hat - y
        loss = float(np.sum(err**2) / n)
        dw = float(2 / n * np.sum(err * x))
        db = float(2 / n * np.sum(err))
        return Step(k, w, b, x, y_hat, err, loss, dw, db, w - lr * dw, b - lr * db)


def table(ex, s: Step, history: History) -> str:
    """The numbers of the update θ_k → θ_{k+1} on HouseStepper ``ex``, as HTML."""
    lr, scaling, n = ex.controls["lr"].value, ex.scaling, len(ex.y)
    raw = not ex.controls["standardise"].value
    f = "x" if raw else "z"
    head = ["house", "x (sq ft)"] + ([] if raw else ["z = (x − μ)/σ"])
    head += ["y ($1000s)", f"ŷ = w·{f} + b", "e = ŷ − y", "e²", f"e·{f}"]
    with np.errstate(all="ignore"):
        columns = [np.arange(1, n + 1), ex.x] + ([] if raw else [s.feature])
        columns += [ex.y, s.y_hat, s.err, s.err**2, s.err * s.feature]
    sums = ["Σ"] + [""] * (len(head) - 4) + [np.sum(c) for c in columns[-3:]]
    houses = html_table(head, [*zip(*columns, strict=True), sums])

    w_next, b_next = ex.to_raw(s.w_new, s.b_new)
    update = [
        [f"θ<sub>{s.k}</sub>", s.w, s.b],
        [f"∂L/∂w = (2/{n})Σe·{f}, ∂L/∂b = (2/{n})Σe", s.dw, s.db],
        ["η × gradient", lr * s.dw, lr * s.db],
        [f"θ<sub>{s.k + 1}</sub> = θ<sub>{s.k}</sub> − η × gradient", s.w_new, s.b_new],
    ]
    if not raw:
        update.append(["in sq ft: w/σ, b − w·μ/σ", w_next, b_next])
    steps = html_table(["", "w", "b"], update)

    loss = f"L(θ<sub>{s.k}</sub>) = (1/{n})Σe² = <b>{html(s.loss)}</b>"
    if s.k == history.diverged_at:
        loss += " · the loss passed 10<sup>150</sup>: the run stops here"
    if np.isnan(plotting.visible_segment(w_next, b_next, ex.regression.ax, 0.0)[0][0]):
        sign = "−" if b_next < 0 else "+"
        line = f"ŷ = {plain(w_next, 6)}·x {sign} {plain(abs(b_next), 9)}"
        loss += f" · the line after this update, {line.replace('-', MINUS)}, "
        loss += "lies outside the figure"
    conditions = []
    for other in ex.scalings.values():
        text = (
            f"{other.name}: κ = {html(other.kappa, 4)}, stable for "
            f"η &lt; 2/λ<sub>max</sub> = {html(other.lr_bound, 4)}"
        )
        conditions.append(f"<b>{text}</b>" if other is scaling else text)
    verdict = "stable" if lr < scaling.lr_bound else "not stable"
    factors = stability.step_factors(scaling.H, lr)
    # 1 − 0.5·(2 − 4e−16) is rounding, not a factor: show it as 0
    steep, flat = np.where(np.abs(factors) < 1e-12, 0.0, factors)[[-1, 0]]
    return (
        f"<div style='font-size:12px;line-height:1.35'>"
        f"<b>Update {s.k} → {s.k + 1}</b> ({scaling.name}, "
        f"η = {html(lr, 4)}: {verdict}) · {loss}"
        f"<div style='display:flex;gap:2em'>{houses}{steps}</div>"
        f"{' · '.join(conditions)}<br>each step multiplies the error along the "
        f"steepest direction by 1 − ηλ<sub>max</sub> = {html(steep, 6)} and along "
        f"the flattest by 1 − ηλ<sub>min</sub> = {html(flat, 8)}</div>"
    )


def plain(value: float, digits: int = 10) -> str:
    """A number for plain text: up to ``digits`` significant digits, 1.2e-7 style."""
    if not math.isfinite(value):
        return "overflow"
    if value != 0 and not 1e-4 <= abs(value) < min(1e9, 10.0**digits):
        return f"{value:.{digits - 1}e}".replace("e-0", "e-").replace("e+0", "e+")
    return f"{value:,.{digits}g}"


def html(value: float, digits: int = 10) -> str:
    """:func:`plain` for the table: trailing zeros dropped, × 10ⁿ, a true minus.

    So that the article's numbers appear exactly: 6,875, −275,000, 100.0015.
    """
    value = float(value) + 0.0  # −0.0 becomes 0.0
    text = plain(value, digits)
    if math.isfinite(value) and "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa.rstrip('0').rstrip('.')}×10<sup>{int(exponent)}</sup>"
    return text.replace("-", MINUS)


def html_table(head: list[str], rows: list) -> str:
    """An HTML table; cells that are numbers go through :func:`html`."""
    th = "".join(f"<th>{h}</th>" for h in head)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{c if isinstance(c, str) else html(c)}</td>" for c in row)
        + "</tr>"
        for row in rows
    )
    return f"<table class='gd-house'><tr>{th}</tr>{body}</table>"

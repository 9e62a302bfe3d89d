"""The sliders the explorers share: one look, one place to change it."""

from __future__ import annotations

import ipywidgets as widgets


def slider(
    description: str,
    value: float,
    lo: float,
    hi: float,
    step: float,
    *,
    base: float | None = None,
    width: str = "2em",
    **kwargs,
) -> widgets.FloatSlider | widgets.FloatLogSlider:
    """A slider from lo to hi in steps of ``step``; with a ``base``, a log-scale
    one from base**lo to base**hi, each notch multiplying by base**step."""
    if base is not None:
        kwargs |= {"base": base, "readout_format": ".3g"}
    return (widgets.FloatSlider if base is None else widgets.FloatLogSlider)(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        style={"description_width": width},
        **kwargs,
    )


# Renard's R40 series of preferred numbers (ISO 3): 40 per decade, each about
# 10^(1/40) ≈ 1.06 times the one before, rounded to three digits.
R40 = (
    1.00, 1.06, 1.12, 1.18, 1.25, 1.32, 1.40, 1.50, 1.60, 1.70,
    1.80, 1.90, 2.00, 2.12, 2.24, 2.36, 2.50, 2.65, 2.80, 3.00,
    3.15, 3.35, 3.55, 3.75, 4.00, 4.25, 4.50, 4.75, 5.00, 5.30,
    5.60, 6.00, 6.30, 6.70, 7.10, 7.50, 8.00, 8.50, 9.00, 9.50,
)  # fmt: skip


def preferred_log_slider(
    description: str,
    value: float,
    lo: float,
    hi: float,
    *,
    width: str = "2em",
    **kwargs,
) -> widgets.SelectionSlider:
    """A log-scale slider over the R40 preferred numbers from ``lo`` to ``hi``.

    Each notch multiplies the value by about 1.06, and round values such as
    0.1, 0.5, 1 and 1.5 are notches, to the last digit (a FloatLogSlider
    computes base**exponent in the browser and lands beside them). ``value``
    must be one of them.
    """
    values = [
        float(f"{r}e{e}")
        for e in range(-12, 12)
        for r in R40
        if lo <= float(f"{r}e{e}") <= hi
    ]
    return widgets.SelectionSlider(
        options=[(f"{v:g}", v) for v in values],
        value=value,
        description=description,
        style={"description_width": width},
        **kwargs,
    )

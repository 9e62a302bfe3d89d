"""The sliders the explorers share: one look, one place to change it."""

from __future__ import annotations

import ipywidgets as widgets


def log_slider(
    description: str,
    value: float,
    lo: float,
    hi: float,
    step: float,
    *,
    base: float = 10,
    width: str = "2em",
    **kwargs,
) -> widgets.FloatLogSlider:
    """A log-scale slider from base**lo to base**hi: each notch × base**step."""
    return widgets.FloatLogSlider(
        value=value,
        base=base,
        min=lo,
        max=hi,
        step=step,
        description=description,
        readout_format=".3g",
        style={"description_width": width},
        **kwargs,
    )


def slider(
    description: str,
    value: float,
    lo: float,
    hi: float,
    step: float,
    *,
    width: str = "2em",
    **kwargs,
) -> widgets.FloatSlider:
    """A linear slider from lo to hi in steps of ``step``."""
    return widgets.FloatSlider(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=description,
        style={"description_width": width},
        **kwargs,
    )


def notched_log_slider(
    description: str,
    value: float,
    notch: float,
    below: int,
    above: int,
    per_decade: int,
    *,
    width: str = "2em",
    **kwargs,
) -> widgets.SelectionSlider:
    """A log-scale slider that stops exactly at ``notch``.

    Its values are notch·10^(k/per_decade) for k from −below to above, so each
    notch multiplies η by the same factor and k = 0 is ``notch`` itself, to the
    last digit (a FloatLogSlider computes base**exponent in the browser, and
    would land beside it).
    """
    values = [notch * 10 ** (k / per_decade) for k in range(-below, above + 1)]
    return widgets.SelectionSlider(
        options=[(f"{v:.3g}", v) for v in values],
        value=min(values, key=lambda v: abs(v - value)),
        description=description,
        style={"description_width": width},
        **kwargs,
    )

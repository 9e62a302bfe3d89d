"""The optimizer explorer's controls: its sliders, objectives, presets, layout."""

from __future__ import annotations

import math
from typing import Any

import ipywidgets as widgets

from .. import objectives
from ._controls import slider

# optimizer key (as in gdcore.OPTIMIZERS) -> (label, hyper-parameters on sliders)
SLIDERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "sgd": ("GD", ("lr",)),
    "momentum": ("momentum", ("lr", "beta")),
    "nesterov": ("Nesterov", ("lr", "beta")),
    "adagrad": ("AdaGrad", ("lr",)),
    "rmsprop": ("RMSprop", ("lr", "rho")),
    "adam": ("Adam", ("lr", "beta1", "beta2")),
}
SYMBOLS = {"lr": "η", "beta": "β", "rho": "ρ", "beta1": "β₁", "beta2": "β₂"}
BETA2 = (0.9, 0.99, 0.999, 0.9999)  # the values of Adam's β₂ slider
NARROW, NARROWER = {"description_width": "3em"}, {"description_width": "2em"}
CHECKBOX = {"width": "auto", "margin": "0 1em 0 0"}  # the layout of the show_ boxes

# objective key (as in gdcore.OBJECTIVES) -> (dropdown label, start-slider step)
CHOICES: dict[str, tuple[str, float]] = {
    "bowl": ("bowl ½θᵀAθ (κ slider)", 0.05),
    "rosenbrock": ("Rosenbrock's valley", 0.05),
    "wavy_2d": ("egg crate: local minima", 0.1),
    "saddle": ("saddle", 0.01),
}


def _preset(start, gd, momentum, adagrad, rmsprop, adam) -> dict[str, Any]:
    """Nesterov takes momentum's (η, β); ρ and β₁ are 0.9 and β₂ 0.999 throughout."""
    lr, beta = momentum
    return {
        "start": start,
        "sgd": {"lr": gd},
        "momentum": {"lr": lr, "beta": beta},
        "nesterov": {"lr": lr, "beta": beta},
        "adagrad": {"lr": adagrad},
        "rmsprop": {"lr": rmsprop, "rho": 0.9},
        "adam": {"lr": adam, "beta1": 0.9, "beta2": 0.999},
    }


# What choosing an objective loads: a start point and settings with which each
# optimizer does something worth seeing there within the default 300 steps.
PRESETS: dict[str, dict[str, Any]] = {
    #                    θ₀       η GD  (η, β) momentum  AdaGrad, RMSprop, Adam η
    "bowl": _preset((-2.5, 1.5), 0.18, (0.05, 0.7), 1.0, 0.02, 0.2),
    "rosenbrock": _preset((-1.5, 2.0), 1e-3, (1e-3, 0.9), 1.0, 0.01, 0.3),
    "wavy_2d": _preset((-5.5, 4.5), 0.5, (0.1, 0.9), 1.0, 0.1, 0.5),
    "saddle": _preset((1.5, 0.01), 0.1, (0.05, 0.8), 0.5, 0.05, 0.1),
}


def make_objective(name: str, kappa: float = 10.0):
    """The Objective behind a dropdown entry (κ is used by the bowl only)."""
    if name == "bowl":
        return objectives.quadratic_bowl(condition=kappa)
    return objectives.get_objective(name)


def make_controls(objective, show, kappa, steps, max_steps) -> dict[str, Any]:
    """Every control of the explorer, as ``OptimizerExplorer.controls`` holds them."""
    controls: dict[str, Any] = {
        "objective": widgets.Dropdown(
            options=[(label, key) for key, (label, _) in CHOICES.items()],
            value=objective,
            description="objective",
            style={"description_width": "5em"},
        ),
        "kappa": slider(  # κ from 10⁰ to 10²; each makes new contours: on release
            "κ", kappa, 0.0, 2.0, 0.1, base=10, width="3em", continuous_update=False
        ),
        "steps": widgets.IntSlider(
            steps, 0, max_steps, description="steps", style=NARROW
        ),
        "x0": slider("x₀", 0.0, 0.0, 1.0, 0.1, width="3em", readout_format=".2f"),
        "y0": slider("y₀", 0.0, 0.0, 1.0, 0.1, width="3em", readout_format=".2f"),
    }
    for name, (label, _) in SLIDERS.items():
        controls[f"show_{name}"] = widgets.Checkbox(
            name in show, description=label, indent=False, layout=CHECKBOX
        )
    for name, (_, hyper) in SLIDERS.items():
        for hp in hyper:
            controls[f"{name}_{hp}"] = _hyper_slider(hp)
    load_preset(controls, objective)
    return controls


def _hyper_slider(hp: str):
    """η on a log scale from 1e-4 to 10^0.5, β₂ among four values, the others linear."""
    if hp == "lr":
        return slider("η", 0.1, -4.0, 0.5, 0.05, base=10)
    if hp == "beta2":
        return widgets.SelectionSlider(options=BETA2, description="β₂", style=NARROWER)
    return slider(SYMBOLS[hp], 0.9, 0.0, 0.99, 0.01)


def load_preset(controls, objective: str) -> None:
    """Load the start and settings of ``objective``; x₀, y₀ span its plot range."""
    preset, box = PRESETS[objective], make_objective(objective).plot_range
    for axis, (lo, hi), value in zip(("x0", "y0"), box, preset["start"], strict=True):
        control = controls[axis]
        with control.hold_trait_notifications():
            control.min, control.max = -math.inf, math.inf  # no clamping midway
            control.step = CHOICES[objective][1]
            control.min, control.max = lo, hi
            control.value = value
    for name, (_, hyper) in SLIDERS.items():
        for hp in hyper:
            controls[f"{name}_{hp}"].value = preset[name][hp]
    controls["kappa"].disabled = objective != "bowl"


def layout(controls, table, view) -> widgets.VBox:
    """The controls in rows, the optimizers' sliders in tabs, the table, the view."""

    def row(names, *first):
        return widgets.HBox([*first, *(controls[name] for name in names)])

    tabs = widgets.Tab(
        [row(f"{name}_{hp}" for hp in hyper) for name, (_, hyper) in SLIDERS.items()],
        titles=[label for label, _ in SLIDERS.values()],
    )
    show = row((f"show_{name}" for name in SLIDERS), widgets.Label("show:"))
    rows = [row(("objective", "kappa", "steps")), row(("x0", "y0")), show]
    return widgets.VBox([*rows, tabs, table, view])

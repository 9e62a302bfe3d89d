"""The optimizer explorer's controls: its sliders, its objectives, their presets.

:data:`SLIDERS` says which hyper-parameters of each optimizer get a slider,
:data:`CHOICES` which objectives the dropdown offers, and :data:`PRESETS` what
choosing one loads. :func:`make_controls` builds the widgets and :func:`layout`
arranges them; :class:`~gdcore.widgets.optimizers.OptimizerExplorer` does the rest.
"""

from __future__ import annotations

import math
from typing import Any

import ipywidgets as widgets

from .. import objectives
from ._controls import slider

KEY_DECIMALS = 9  # slider values are rounded to this many decimals in cache keys

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
BETA2_OPTIONS = (0.9, 0.99, 0.999, 0.9999)
LR_LOG_RANGE = (-4.0, 0.5)  # η from 1e-4 to 10^0.5 ≈ 3.16 ...
LR_STEP = 0.05  # ... in steps of 0.05 decades
KAPPA_LOG_RANGE = (0.0, 2.0)  # κ from 1 to 100 ...
KAPPA_STEP = 0.1  # ... in steps of 0.1 decades

# objective key (as in gdcore.OBJECTIVES) -> (dropdown label, start-slider step)
CHOICES: dict[str, tuple[str, float]] = {
    "bowl": ("bowl ½θᵀAθ (κ slider)", 0.05),
    "rosenbrock": ("Rosenbrock's valley", 0.05),
    "wavy_2d": ("egg crate: local minima", 0.1),
    "saddle": ("saddle", 0.01),
}

# What choosing an objective loads: a start point and hyper-parameters with which
# each optimizer does something worth seeing there within the default 300 steps.
PRESETS: dict[str, dict[str, Any]] = {
    "bowl": {
        "start": (-2.5, 1.5),
        "sgd": {"lr": 0.18},
        "momentum": {"lr": 0.05, "beta": 0.7},
        "nesterov": {"lr": 0.05, "beta": 0.7},
        "adagrad": {"lr": 1.0},
        "rmsprop": {"lr": 0.02, "rho": 0.9},
        "adam": {"lr": 0.2, "beta1": 0.9, "beta2": 0.999},
    },
    "rosenbrock": {
        "start": (-1.5, 2.0),
        "sgd": {"lr": 1e-3},
        "momentum": {"lr": 1e-3, "beta": 0.9},
        "nesterov": {"lr": 1e-3, "beta": 0.9},
        "adagrad": {"lr": 1.0},
        "rmsprop": {"lr": 0.01, "rho": 0.9},
        "adam": {"lr": 0.3, "beta1": 0.9, "beta2": 0.999},
    },
    "wavy_2d": {
        "start": (-5.5, 4.5),
        "sgd": {"lr": 0.5},
        "momentum": {"lr": 0.1, "beta": 0.9},
        "nesterov": {"lr": 0.1, "beta": 0.9},
        "adagrad": {"lr": 1.0},
        "rmsprop": {"lr": 0.1, "rho": 0.9},
        "adam": {"lr": 0.5, "beta1": 0.9, "beta2": 0.999},
    },
    "saddle": {
        "start": (1.5, 0.01),
        "sgd": {"lr": 0.1},
        "momentum": {"lr": 0.05, "beta": 0.8},
        "nesterov": {"lr": 0.05, "beta": 0.8},
        "adagrad": {"lr": 0.5},
        "rmsprop": {"lr": 0.05, "rho": 0.9},
        "adam": {"lr": 0.1, "beta1": 0.9, "beta2": 0.999},
    },
}


def make_objective(name: str, kappa: float = 10.0):
    """The Objective behind a dropdown entry (κ is used by the bowl only)."""
    if name == "bowl":
        return objectives.quadratic_bowl(condition=kappa)
    return objectives.get_objective(name)


def make_controls(objective, show, kappa, steps, max_steps) -> dict[str, Any]:
    """Every control of the explorer, as ``OptimizerExplorer.controls`` holds them."""
    preset = PRESETS[objective]
    controls: dict[str, Any] = {
        "objective": widgets.Dropdown(
            options=[(label, key) for key, (label, _) in CHOICES.items()],
            value=objective,
            description="objective",
            style={"description_width": "5em"},
        ),
        "kappa": slider(
            "κ",
            kappa,
            *KAPPA_LOG_RANGE,
            KAPPA_STEP,
            base=10,
            width="3em",
            disabled=objective != "bowl",
            continuous_update=False,  # each κ swaps the contours: on release
        ),
        "steps": widgets.IntSlider(
            value=steps,
            min=0,
            max=max_steps,
            description="steps",
            style={"description_width": "3em"},
        ),
    }
    for axis in ("x0", "y0"):
        controls[axis] = slider(
            f"{axis[0]}₀", 0.0, 0.0, 1.0, 0.1, width="3em", readout_format=".2f"
        )
    set_start_sliders(controls, objective)
    for name, (label, _) in SLIDERS.items():
        controls[f"show_{name}"] = widgets.Checkbox(
            value=name in show,
            description=label,
            indent=False,
            layout=widgets.Layout(width="auto", margin="0 1em 0 0"),
        )
    for name, (_, hyper) in SLIDERS.items():
        for hp in hyper:
            controls[f"{name}_{hp}"] = _hyper_slider(hp, preset[name][hp])
    return controls


def set_start_sliders(controls, objective: str) -> None:
    """Give x₀ and y₀ the objective's plot range, step and preset start."""
    obj = make_objective(objective)
    step = CHOICES[objective][1]
    for axis, (lo, hi), value in zip(
        ("x0", "y0"), obj.plot_range, PRESETS[objective]["start"], strict=True
    ):
        control = controls[axis]
        with control.hold_trait_notifications():
            control.min, control.max = -math.inf, math.inf  # no clamping midway
            control.step = step
            control.min, control.max = lo, hi
            control.value = value


def layout(controls, table, view) -> widgets.VBox:
    """The controls in rows, the optimizers' sliders in tabs, the table, the view."""
    c = controls
    tabs = widgets.Tab(
        children=[
            widgets.HBox([c[f"{name}_{hp}"] for hp in hyper])
            for name, (_, hyper) in SLIDERS.items()
        ],
        titles=[label for label, _ in SLIDERS.values()],
    )
    show = widgets.HBox(
        [widgets.Label("show:"), *(c[f"show_{name}"] for name in SLIDERS)]
    )
    return widgets.VBox(
        [
            widgets.HBox([c["objective"], c["kappa"], c["steps"]]),
            widgets.HBox([c["x0"], c["y0"]]),
            show,
            tabs,
            table,
            view,
        ]
    )


def _hyper_slider(hp: str, value: float):
    """The slider of one hyper-parameter: η on a log scale, decay rates linear."""
    if hp == "lr":
        return slider("η", value, *LR_LOG_RANGE, LR_STEP, base=10)
    if hp == "beta2":
        return widgets.SelectionSlider(
            options=BETA2_OPTIONS,
            value=value,
            description="β₂",
            style={"description_width": "2em"},
        )
    return slider(SYMBOLS[hp], value, 0.0, 0.99, 0.01)


def slider_grid(control) -> list[float]:
    """Every position of a start slider, rounded as the start point is."""
    n = round((control.max - control.min) / control.step)
    return [round(control.min + i * control.step, KEY_DECIMALS) for i in range(n + 1)]

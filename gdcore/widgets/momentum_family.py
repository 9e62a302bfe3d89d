"""MomentumFamilyExplorer: one momentum pair (η, β) on bowls of every κ.

Notebook 08 meta-learns heavy-ball momentum's (η, β) over a family of bowls
with κ in a training range (:mod:`gdcore.meta`). This explorer shows what any
pair does on test bowls with κ from 2 to 1,000: log₁₀ f(θ_K)/f(θ₀) after K
steps (below 0: progress; capped at the top: diverged), next to Polyak's pair
computed for each bowl's own κ, with the training range shaded and the pair's
stability edge κ = 2(1 + β)/η marked. Moving a slider recomputes 120 runs of
K steps at once (well under a millisecond of NumPy) and moves two lines.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import meta
from .._validate import check_int
from ..plotting import PALETTE
from ._base import Explorer

TEST_KAPPAS = np.geomspace(2.0, 1000.0, 120)
LR_LOG10 = (-3.0, -0.5, 0.01)  # η from 0.001 to 0.316
CAP = 10.0  # log₁₀ progress shown at most (a diverged run sits on the cap)
FLOOR = -20.0


class MomentumFamilyExplorer(Explorer):
    """Drag η and β; see where the pair converges, and where it diverges.

    Parameters
    ----------
    lr, beta : the pair shown first (η in [0.001, 0.316], β in [0, 0.95]).
    kappa_range : the training range of κ to shade, (low, high).
    steps : K, the number of momentum steps on each test bowl.
    """

    def __init__(
        self,
        lr: float = 0.0337,
        beta: float = 0.676,
        *,
        kappa_range: tuple[float, float] = (10.0, 100.0),
        steps: int = 50,
        figsize: tuple[float, float] = (6.8, 3.4),
        dpi: int = 100,
    ) -> None:
        lo_k, hi_k = meta.check_kappa_range(kappa_range)
        self.steps = check_int(steps, "steps", minimum=1)
        lo, hi, step = LR_LOG10
        if not 10**lo <= lr <= 10**hi:
            raise ValueError(f"lr must be in [{10**lo:.4g}, {10**hi:.4g}], got {lr}")
        if not 0.0 <= beta <= 0.95:
            raise ValueError(f"beta must be in [0, 0.95], got {beta}")
        controls = {
            "lr": widgets.FloatLogSlider(
                value=lr, base=10, min=lo, max=hi, step=step, description="η",
                readout_format=".4f", layout=widgets.Layout(width="300px"),
                style={"description_width": "2em"},
            ),
            "beta": widgets.FloatSlider(
                value=beta, min=0.0, max=0.95, step=0.005, description="β",
                readout_format=".3f", layout=widgets.Layout(width="300px"),
                style={"description_width": "2em"},
            ),
        }  # fmt: skip
        super().__init__(figsize=figsize, dpi=dpi)
        self._lams = np.stack([np.ones_like(TEST_KAPPAS), TEST_KAPPAS], axis=1)
        self._starts = np.ones_like(self._lams)
        oracle = [meta.polyak_momentum(k) for k in TEST_KAPPAS]
        lrs, betas = (np.array(values) for values in zip(*oracle, strict=True))
        progress = meta.momentum_log_progress(
            lrs, betas, self._lams, self._starts, self.steps
        )  # shape (pairs, bowls)
        oracle_curve = np.diagonal(progress)  # pair i on bowl i

        ax = self.fig.add_subplot()
        self.ax = ax
        ax.axvspan(lo_k, hi_k, color="0.9", label="training range of κ")
        ax.axhline(0.0, color="0.4", lw=0.8)
        ax.plot(TEST_KAPPAS, np.clip(oracle_curve, FLOOR, CAP), color=PALETTE[1],
                ls="--", lw=1.5, label="Polyak's pair for each κ")  # fmt: skip
        (self._curve,) = ax.plot([], [], color=PALETTE[0], lw=1.8, label="your pair")
        self._edge = ax.axvline(1.0, color=PALETTE[0], lw=1.0, ls=":")
        self._title = ax.set_title("")
        ax.set(xscale="log", xlim=(TEST_KAPPAS[0], TEST_KAPPAS[-1]),
               ylim=(FLOOR, CAP + 1), xlabel="κ of the test bowl (λ = 1 and κ)",
               ylabel=f"log₁₀ f(θ_K)/f(θ₀), K = {self.steps}")  # fmt: skip
        ax.legend(frameon=False, fontsize="small", loc="lower left")
        self._setup(controls, animated=[self._curve, self._edge, self._title])

    def progress(self) -> np.ndarray:
        """log₁₀ f(θ_K)/f(θ₀) of the current pair on each test bowl (+inf: diverged)."""
        lr, beta = self.controls["lr"].value, self.controls["beta"].value
        return meta.momentum_log_progress(
            lr, beta, self._lams, self._starts, self.steps
        )

    def edge(self) -> float:
        """The largest curvature on which the current pair converges, 2(1 + β)/η."""
        return meta.momentum_edge(
            self.controls["lr"].value, self.controls["beta"].value
        )

    def update(self) -> None:
        self._curve.set_data(TEST_KAPPAS, np.clip(self.progress(), FLOOR, CAP))
        edge = self.edge()
        self._edge.set_xdata([edge, edge])
        self._title.set_text(f"stable up to κ = 2(1 + β)/η ≈ {edge:,.0f}")

    def summary(self) -> str:
        progress = self.progress()
        good = TEST_KAPPAS[progress < -6]
        lr, beta = self.controls["lr"].value, self.controls["beta"].value
        where = (
            f"f shrinks 10⁶-fold for κ from {good.min():.3g} to {good.max():.3g}"
            if good.size
            else "f shrinks 10⁶-fold on no test bowl"
        )
        return (
            f"η = {lr:.4f}, β = {beta:.3f}: stable up to κ ≈ {self.edge():,.0f}; "
            f"{where}; f grows on {int(np.sum(progress > 0))} of "
            f"{TEST_KAPPAS.size} test bowls"
        )

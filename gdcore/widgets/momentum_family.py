"""One heavy-ball momentum pair (η, β) on test bowls of every κ from 2 to 1,000.

Notebook 08 meta-learns momentum's (η, β) on bowls with κ in a training range
(:mod:`gdcore.meta`). This explorer shows log₁₀ f(θ_K)/f(θ₀) after K steps of any
pair on each test bowl (below 0: progress; on the cap at the top: diverged),
next to Polyak's pair for each bowl's own κ, with the training range shaded and
the pair's stability edge κ = 2(1 + β)/η marked.

    MomentumFamilyExplorer(lr=0.0337, beta=0.676)
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import meta
from .._validate import check_int
from ..plotting import DPI, PALETTE
from ._base import Explorer
from ._controls import slider

TEST_KAPPAS = np.geomspace(2.0, 1000.0, 120)
TEST_BOWLS = np.stack([np.ones_like(TEST_KAPPAS), TEST_KAPPAS], axis=1)  # λ = 1, κ
STARTS = np.ones_like(TEST_BOWLS)  # every run starts at θ₀ = (1, 1)
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
        dpi: int = DPI,
    ) -> None:
        lo_k, hi_k = meta.check_kappa_range(kappa_range)
        self.steps = check_int(steps, "steps", minimum=1)
        lo, hi, step = LR_LOG10
        if not 10**lo <= lr <= 10**hi:
            raise ValueError(f"lr must be in [{10**lo:.4g}, {10**hi:.4g}], got {lr}")
        if not 0.0 <= beta <= 0.95:
            raise ValueError(f"beta must be in [0, 0.95], got {beta}")
        width = widgets.Layout(width="300px")
        controls = {
            "lr": slider("η", lr, lo, hi, step, base=10, layout=width),
            "beta": slider("β", beta, 0, 0.95, 0.005, layout=width),
        }
        controls["lr"].readout_format = ".4f"  # the digits the summary prints
        controls["beta"].readout_format = ".3f"

        super().__init__(figsize=figsize, dpi=dpi)
        ax = self.fig.add_subplot()
        ax.axvspan(lo_k, hi_k, color="0.9", label="training range of κ")
        ax.axhline(0.0, color="0.4", lw=0.8)
        lrs, betas = np.array([meta.polyak_momentum(k) for k in TEST_KAPPAS]).T
        polyak = meta.momentum_log_progress(lrs, betas, TEST_BOWLS, STARTS, self.steps)
        oracle = {"color": PALETTE[1], "ls": "--", "lw": 1.5}
        oracle_curve = np.clip(np.diagonal(polyak), FLOOR, CAP)  # pair i on bowl i
        ax.plot(TEST_KAPPAS, oracle_curve, label="Polyak's pair for each κ", **oracle)
        (self.curve,) = ax.plot([], [], color=PALETTE[0], lw=1.8, label="your pair")
        self.edge_line = ax.axvline(1.0, color=PALETTE[0], lw=1.0, ls=":")
        self.title = ax.set_title("")
        ax.set(xscale="log", xlim=TEST_KAPPAS[[0, -1]], ylim=(FLOOR, CAP + 1))
        ax.set_xlabel("κ of the test bowl (λ = 1 and κ)")
        ax.set_ylabel(f"log₁₀ f(θ_K)/f(θ₀), K = {self.steps}")
        ax.legend(frameon=False, fontsize="small", loc="lower left")
        self._setup(controls, animated=[self.curve, self.edge_line, self.title])

    def progress(self) -> np.ndarray:
        """log₁₀ f(θ_K)/f(θ₀) of the current pair on each test bowl (+inf: diverged)."""
        lr, beta = self.values["lr"], self.values["beta"]
        return meta.momentum_log_progress(lr, beta, TEST_BOWLS, STARTS, self.steps)

    def edge(self) -> float:
        """The largest curvature on which the current pair converges, 2(1 + β)/η."""
        return meta.momentum_edge(self.values["lr"], self.values["beta"])

    def update(self) -> None:
        self.curve.set_data(TEST_KAPPAS, np.clip(self.progress(), FLOOR, CAP))
        self.edge_line.set_xdata([self.edge()] * 2)
        self.title.set_text(f"stable up to κ = 2(1 + β)/η ≈ {self.edge():,.0f}")

    def summary(self) -> str:
        progress = self.progress()
        good = TEST_KAPPAS[progress < -6]
        where = "on no test bowl"
        if good.size:
            where = f"for κ from {good.min():.3g} to {good.max():.3g}"
        return (
            f"η = {self.values['lr']:.4f}, β = {self.values['beta']:.3f}: stable up to "
            f"κ ≈ {self.edge():,.0f}; f shrinks 10⁶-fold {where}; "
            f"f grows on {np.sum(progress > 0)} of {TEST_KAPPAS.size} test bowls"
        )

"""SGD with a clipped gradient on houses with one typo, under c and η sliders.

The five houses of article 003 plus a sixth whose size was mistyped (25,000
square feet for 2,500), standardised as in notebook 04: plain SGD, one house per
step, blows up on them (notebook 08). Here every gradient is clipped to length c
first. Left: the MSE on the five good houses at each step; right: the houses and
the line after 100 epochs (600 steps), with the same shuffles for every setting.

    ClippingExplorer(c=10, lr=0.1)
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..batching import minibatches
from ..datasets import HOUSE_B0, HOUSE_W0, house_prices, standardize, unstandardize_line
from ..losses import design_matrix
from ..plotting import DPI, PALETTE
from ._base import Explorer
from ._controls import slider

EPOCHS = 100
TYPO_SIZE = 25_000.0  # the sixth house: 2,500 square feet typed with one 0 too many
C_LOG10 = (-1.0, 6.0, 0.05)
LR_LOG10 = (-2.0, -0.5, 0.05)
SIZES = np.linspace(0, 3000, 2)  # the lines' ends, in square feet


def outlier_houses() -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float]:
    """(X6, y6, θ₀, μ, σ): X6 = [z, 1] for the six houses, their sizes standardised
    with the five good ones; θ₀ is article 003's line w = 0.05, b = 100 in these
    units, as in notebook 04."""
    x, price = house_prices()
    _, mu, sigma = standardize(x)
    x6, y6 = np.append(x, TYPO_SIZE), np.append(price, 350.0)
    X6 = design_matrix((x6 - mu) / sigma)
    theta0 = np.array([HOUSE_W0 * sigma, HOUSE_W0 * mu + HOUSE_B0])
    return X6, y6, theta0, mu, sigma


def clipped_sgd_path(c: float, lr: float) -> np.ndarray:
    """θ after each of the 600 steps of clipped SGD (B = 1), θ₀ first: (601, 2).

    The steps of ``gd.fit_linear_regression(X6, y6, gd.clipped(gd.sgd(lr), c),
    θ₀, epochs=100, batch_size=1, rng=np.random.default_rng(0))``, to the last
    bit, but ten times faster: the one-house gradient g = 2·x·(xθ − y) and
    ``gd.clip_by_norm``'s g·c/max(‖g‖, c) are written out, without its checks.
    """
    X6, y6, theta, _, _ = outlier_houses()
    rng = np.random.default_rng(0)
    path = [theta]
    for _ in range(EPOCHS):
        for (i,) in minibatches(len(y6), 1, rng):
            g = 2 * X6[i] * (X6[i] @ theta - y6[i])
            theta = theta - lr * (g * (c / max(np.hypot(*g), c)))
            path.append(theta)
    return np.array(path)


class ClippingExplorer(Explorer):
    """Drag c (the clipping threshold) and η; watch the fit survive or go wrong.

    Parameters
    ----------
    c : the first clipping threshold, in [0.1, 10⁶].
    lr : the first learning rate η, in [0.01, 0.316].
    """

    def __init__(
        self,
        c: float = 10.0,
        lr: float = 0.1,
        *,
        figsize: tuple[float, float] = (7.6, 3.2),
        dpi: int = DPI,
    ) -> None:
        for name, value, (lo, hi, _) in (("c", c, C_LOG10), ("lr", lr, LR_LOG10)):
            bounds = f"[{10**lo:.4g}, {10**hi:.4g}]"
            if not 10**lo <= value <= 10**hi:
                raise ValueError(f"{name} must be in {bounds}, got {value}")
        width = widgets.Layout(width="300px")
        controls = {
            "c": slider("c", c, *C_LOG10, base=10, layout=width),
            "lr": slider("η", lr, *LR_LOG10, base=10, layout=width),
        }
        super().__init__(figsize=figsize, dpi=dpi)
        X6, y6, _, self.mu, self.sigma = outlier_houses()
        self.X5, self.y5 = X6[:5], y6[:5]
        ax_loss, ax_fit = self.fig.subplots(1, 2)
        (self.loss,) = ax_loss.plot([], [], color=PALETTE[0], lw=1.2)
        ax_loss.set(yscale="log", xlim=(0, EPOCHS * 6), ylim=(1e-3, 1e12))
        ax_loss.set(xlabel="step", ylabel="MSE on the five good houses")
        good = {"color": "0.6", "ls": "--", "lw": 1, "label": "the good houses' line"}
        ax_fit.plot(SIZES, 0.1 * SIZES + 100, **good)
        ax_fit.plot(house_prices()[0], self.y5, "o", color="black", ms=5)
        (self.fit,) = ax_fit.plot(
            [], [], color=PALETTE[1], lw=1.8, label="after 100 epochs"
        )
        ax_fit.set(xlim=(0, 3000), ylim=(0, 500))
        ax_fit.set(xlabel="size (sq ft)", ylabel="price ($1000s)")
        ax_fit.legend(frameon=False, fontsize="small", loc="upper left")
        self.title = self.fig.suptitle("")
        self._setup(controls, animated=[self.loss, self.fit, self.title])

    def line(self) -> tuple[float, float]:
        """(w, b) of the final line, in dollars per square foot and $1000s."""
        path = clipped_sgd_path(self.values["c"], self.values["lr"])
        return unstandardize_line(*path[-1], self.mu, self.sigma)

    def update(self) -> None:
        path = clipped_sgd_path(self.values["c"], self.values["lr"])
        errors = path @ self.X5.T - self.y5  # (steps + 1, 5)
        self.loss.set_data(np.arange(len(path)), np.mean(errors**2, axis=1))
        w, b = unstandardize_line(*path[-1], self.mu, self.sigma)
        self.fit.set_data(SIZES, w * SIZES + b)
        c = self.values["c"]
        self.title.set_text(f"clipped at c = {c:.3g}: w = {w:.3f}, b = {b:.0f}")

    def summary(self) -> str:
        w, b = self.line()
        c, lr = self.values["c"], self.values["lr"]
        return f"c = {c:.3g}, η = {lr:.3g}: final line w = {w:.3f}, b = {b:.0f}"

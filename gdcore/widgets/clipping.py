"""ClippingExplorer: SGD with a clipped gradient on houses with one typo.

The five houses of article 003, standardised, plus a sixth whose size was
mistyped (25,000 square feet for 2,500; :func:`outlier_houses`). Plain SGD with
one house per step blows up on it (notebook 08). Here every gradient is clipped
to length c first (:func:`gdcore.clip_by_norm`); the sliders set c and η. The
left panel shows the MSE on the five good houses at each step, the right one
the houses and the line after the last step. Each move reruns 100 epochs (600
steps) from notebook 04's start with the same shuffles, a few milliseconds.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..batching import minibatches
from ..clipping import clip_by_norm
from ..datasets import HOUSE_B0, HOUSE_W0, house_prices, standardize
from ..losses import design_matrix
from ..plotting import PALETTE
from ._base import Explorer

EPOCHS = 100
TYPO_SIZE = 25_000.0  # the sixth house: 2,500 square feet typed with one 0 too many
C_LOG10 = (-1.0, 6.0, 0.05)
LR_LOG10 = (-2.0, -0.5, 0.05)


def outlier_houses() -> tuple[np.ndarray, np.ndarray, np.ndarray, float, float]:
    """(X6, y6, θ₀, μ, σ): six houses, sizes standardised with the five good ones.

    X6 = [z, 1] for the five houses of article 003 and the mistyped sixth
    (price 350, size 25,000); θ₀ is article 003's line w = 0.05, b = 100 in
    these units, as in notebook 04.
    """
    x, price = house_prices()
    _, mu, sigma = standardize(x)
    x6, y6 = np.append(x, TYPO_SIZE), np.append(price, 350.0)
    X6 = design_matrix((x6 - mu) / sigma)
    theta0 = np.array([HOUSE_W0 * sigma, HOUSE_W0 * mu + HOUSE_B0])
    return X6, y6, theta0, mu, sigma


def shuffled_order(seed: int = 0) -> np.ndarray:
    """The houses in the order SGD visits them: 100 epochs of fresh shuffles.

    Drawn as ``gd.fit_linear_regression`` draws them (``gd.minibatches`` with
    B = 1 and ``np.random.default_rng(seed)``, one epoch after the other).
    """
    rng = np.random.default_rng(seed)
    n = len(outlier_houses()[1])
    return np.concatenate(
        [np.concatenate(list(minibatches(n, 1, rng))) for _ in range(EPOCHS)]
    )


def clipped_sgd_path(
    c: float, lr: float, order: np.ndarray | None = None
) -> np.ndarray:
    """θ after each of the 600 steps of clipped SGD (B = 1), θ₀ first: (601, 2).

    The same steps as ``gd.fit_linear_regression(X6, y6, gd.clipped(gd.sgd(lr),
    c), θ₀, epochs=100, batch_size=1, rng=np.random.default_rng(0))``, the
    one-house gradient written out: ∇(xθ − y)² = 2·x·(xθ − y). Clipping bounds
    every step by η·c, so the run never overflows.
    """
    X6, y6, theta, _, _ = outlier_houses()
    order = shuffled_order() if order is None else order
    path = [theta]
    for i in order:
        g = clip_by_norm(2 * X6[i] * (X6[i] @ theta - y6[i]), c)
        theta = theta - lr * g
        path.append(theta)
    return np.array(path)


class ClippingExplorer(Explorer):
    """Drag c (the clipping threshold) and η; watch the fit survive or go wrong."""

    def __init__(
        self,
        c: float = 10.0,
        lr: float = 0.1,
        *,
        figsize: tuple[float, float] = (7.6, 3.2),
        dpi: int = 100,
    ) -> None:
        for name, value, (lo, hi, _) in (("c", c, C_LOG10), ("lr", lr, LR_LOG10)):
            if not 10**lo <= value <= 10**hi:
                raise ValueError(
                    f"{name} must be in [{10**lo:.4g}, {10**hi:.4g}], got {value}"
                )
        controls = {
            "c": widgets.FloatLogSlider(
                value=c, base=10, min=C_LOG10[0], max=C_LOG10[1], step=C_LOG10[2],
                description="c", readout_format=".3g",
                layout=widgets.Layout(width="300px"),
                style={"description_width": "2em"},
            ),
            "lr": widgets.FloatLogSlider(
                value=lr, base=10, min=LR_LOG10[0], max=LR_LOG10[1],
                step=LR_LOG10[2], description="η", readout_format=".3g",
                layout=widgets.Layout(width="300px"),
                style={"description_width": "2em"},
            ),
        }  # fmt: skip
        super().__init__(figsize=figsize, dpi=dpi)
        X6, y6, _, mu, sigma = outlier_houses()
        self._X5, self._y5 = X6[:5], y6[:5]
        self._mu, self._sigma = mu, sigma
        ax_loss, ax_fit = self.fig.subplots(1, 2)
        (self._loss,) = ax_loss.plot([], [], color=PALETTE[0], lw=1.2)
        ax_loss.set(yscale="log", xlim=(0, EPOCHS * 6), ylim=(1e-3, 1e12),
                    xlabel="step", ylabel="MSE on the five good houses")  # fmt: skip
        sizes = np.linspace(0, 3000, 2)
        ax_fit.plot(sizes, 0.1 * sizes + 100, color="0.6", ls="--", lw=1,
                    label="the good houses' line")  # fmt: skip
        ax_fit.plot(house_prices()[0], y6[:5], "o", color="black", ms=5)
        (self._line,) = ax_fit.plot(sizes, sizes, color=PALETTE[1], lw=1.8,
                                    label="after 100 epochs")  # fmt: skip
        self._sizes = sizes
        self._order = shuffled_order()  # the same shuffles for every setting
        ax_fit.set(xlim=(0, 3000), ylim=(0, 500), xlabel="size (sq ft)",
                   ylabel="price ($1000s)")  # fmt: skip
        ax_fit.legend(frameon=False, fontsize="small", loc="upper left")
        self._title = self.fig.suptitle("")
        self._setup(controls, animated=[self._loss, self._line, self._title])

    def path(self) -> np.ndarray:
        """θ at every step for the current c and η."""
        c, lr = self.controls["c"].value, self.controls["lr"].value
        return clipped_sgd_path(c, lr, self._order)

    def line(self) -> tuple[float, float]:
        """(w, b) of the final line, in dollars per square foot and $1000s."""
        w_z, b_z = self.path()[-1]
        w = w_z / self._sigma
        return float(w), float(b_z - w * self._mu)

    def update(self) -> None:
        path = self.path()
        errors = path @ self._X5.T - self._y5  # (steps + 1, 5)
        self._loss.set_data(np.arange(len(path)), np.mean(errors**2, axis=1))
        w_z, b_z = path[-1]
        w = w_z / self._sigma
        b = b_z - w * self._mu
        self._line.set_ydata(w * self._sizes + b)
        self._title.set_text(f"clipped at c = {self.controls['c'].value:.3g}: "
                             f"w = {w:.3f}, b = {b:.0f}")  # fmt: skip

    def summary(self) -> str:
        w, b = self.line()
        c, lr = self.controls["c"].value, self.controls["lr"].value
        return f"c = {c:.3g}, η = {lr:.3g}: final line w = {w:.3f}, b = {b:.0f}"

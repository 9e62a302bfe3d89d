"""The course's one notation table, shared by the code and the notebooks.

Every notebook writes its math with these symbols and every function in ``gdcore``
names its variables with the matching code name, so that a line of math and the
line of code that implements it read alike. Each symbol records the notebook that
first uses it, so the table can be shown a part at a time: ``00_start_here.ipynb``
shows what notebooks 01–03 need and, separately, what 04–06 add, with
:func:`markdown_table`.

One letter, one meaning, with one exception kept on purpose: ``v`` is the velocity
of momentum and Nesterov, and Adam's second moment is also called ``v``, as in
Kingma & Ba (2015) and in every library. The two never meet in one update rule;
the table lists them as two rows, each named by its optimizer. RMSprop's running
mean of g², the same idea as Adam's ``v``, is ``s``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple


class Symbol(NamedTuple):
    math: str  # LaTeX, as written in the notebooks
    code: str  # the name used in gdcore and in notebook code
    meaning: str
    first: str = "01"  # the notebook that first uses it, "00" … "06"


TABLE: tuple[Symbol, ...] = (
    Symbol(r"\eta", "lr", "learning rate (article 003 calls it α)", "00"),
    Symbol(
        r"f,\ f'",
        "f",
        "a function of one number x and its derivative (in 00 and 02 that x is "
        "the number being tuned, not data)",
        "00",
    ),
    Symbol(r"x,\ y", "x, y", "the input feature and the targets, arrays of length N"),
    Symbol(r"N", "n", "number of training examples"),
    Symbol(r"w,\ b", "w, b", "slope (weight) and intercept (bias) of the line"),
    Symbol(r"\theta", "theta", "parameter vector; θ = (w, b) for the line"),
    Symbol(
        r"\theta^*,\ L^*",
        "theta_star (w_star, b_star)",
        "the minimizer and the smallest loss",
    ),
    Symbol(r"\hat y", "y_hat", "predictions, ŷ = w·x + b = Xθ"),
    Symbol(r"e = \hat y - y", "err", "errors (residuals) of the predictions"),
    Symbol(r"L(\theta)", "loss", "the loss: SSE, MSE (= SSE/N) or half-MSE"),
    Symbol(r"g = \nabla L(\theta)", "g, grad", "gradient of the loss"),
    Symbol(r"H", "H", "Hessian (matrix of second derivatives) of the loss"),
    Symbol(r"\lambda_{\min},\ \lambda_{\max}", "lam_min, lam_max", "eigenvalues of H"),
    Symbol(r"h", "h", "the small step of a difference quotient", "02"),
    Symbol(r"k", "k", "step index, e.g. x_k = (1 − 2η)ᵏ·x₀", "02"),
    Symbol(r"X", "X", "design matrix, shape (N, d); for one feature X = [x, 1]", "03"),
    Symbol(r"\kappa", "kappa", "condition number λ_max / λ_min", "03"),
    Symbol(
        r"\mu,\ \sigma", "mu, sigma", "mean and standard deviation of a feature", "03"
    ),
    Symbol(r"z = (x - \mu)/\sigma", "z", "the standardised feature", "03"),
    Symbol(
        r"I", "np.eye(d)", "identity matrix: 1s on the diagonal, 0s elsewhere", "03"
    ),
    Symbol(r"\delta = \theta - \theta^*", "delta", "offset from the minimizer", "03"),
    Symbol(r"B", "batch_size", "mini-batch size: 1 is SGD, N is full batch", "05"),
    Symbol(
        r"t", "t", "step counter of an optimizer (Adam's first update has t = 1)", "06"
    ),
    Symbol(r"\beta", "beta", "momentum coefficient", "06"),
    Symbol(r"v", "v", "momentum's and Nesterov's velocity", "06"),
    Symbol(r"G", "G", "AdaGrad's running sum of squared gradients", "06"),
    Symbol(r"\rho,\ s", "rho, s", "RMSprop's decay rate and running mean of g²", "06"),
    Symbol(r"\beta_1,\ \beta_2", "beta1, beta2", "Adam's decay rates", "06"),
    Symbol(
        r"m,\ v",
        "m, v",
        "Adam's moments: running means of g and of g² (this v is not momentum's)",
        "06",
    ),
    Symbol(r"\hat m,\ \hat v", "m_hat, v_hat", "Adam's bias-corrected moments", "06"),
    Symbol(
        r"\varepsilon", "eps", "small constant that keeps a denominator from 0", "06"
    ),
    Symbol(r"\eta_{\min}", "lr_min", "the rate a decaying schedule ends at", "04"),
    Symbol(r"T", "total_steps", "the number of steps a schedule spans", "04"),
    Symbol(r"D;\ n_l", "sizes", "a network's layer count and layer l's width", "07"),
    Symbol(r"W_l,\ b_l", "W, b", "weights and biases of layer l", "07"),
    Symbol(
        r"z_l,\ h_l",
        "z, h",
        "layer l's scores and activations, h_l = tanh(z_l) (h₀ = x; this h is "
        "not 02's difference step)",
        "07",
    ),
    Symbol(
        r"\delta_l",
        "delta",
        "backprop's error at layer l, ∂L/∂z_l (not 03's offset δ = θ − θ*)",
        "07",
    ),
    Symbol(
        r"K;\ P,\ Y", "K; P, Y", "classes; softmax probabilities, one-hot labels", "07"
    ),
    Symbol(r"T_w", "warmup_steps", "warm-up length, in steps", "08"),
    Symbol(
        r"c", "max_norm", "gradient clipping: the longest gradient let through", "08"
    ),
    Symbol(
        r"\lambda_{wd}",
        "weight_decay",
        "weight decay (AdamW); λ alone is an eigenvalue",
        "08",
    ),
    Symbol(r"\beta_{hd}", "hyper_lr", "SGD-HD: the rate at which η learns", "08"),
    Symbol(r"g_{prev}", "g_prev", "SGD-HD: the previous step's gradient", "08"),
    Symbol(r"r;\ U,\ V", "r; U, V", "rank of a low-rank update W + UV (LoRA)", "08"),
)

NOTEBOOKS = ("00", "01", "02", "03", "04", "05", "06", "07", "08")


def markdown_table(notebooks: Iterable[str] | None = None) -> str:
    """The notation table as Markdown, for ``IPython.display.Markdown``.

    ``notebooks`` keeps only the symbols first used in those notebooks, e.g.
    ``("00", "01", "02", "03")``; the default is the whole table.
    """
    if notebooks is None:
        keep = set(NOTEBOOKS)
    else:
        keep = set(notebooks) if not isinstance(notebooks, str) else {notebooks}
        unknown = keep - set(NOTEBOOKS)
        if unknown:
            raise ValueError(
                f"notebooks must name notebooks {NOTEBOOKS[0]}–{NOTEBOOKS[-1]}, "
                f"got {sorted(unknown)}"
            )
    rows = ["| math | code | meaning | first in |", "|:---:|:---|:---|:---:|"]
    for sym in TABLE:
        if sym.first in keep:
            rows.append(
                f"| ${sym.math}$ | `{sym.code}` | {sym.meaning} | {sym.first} |"
            )
    return "\n".join(rows)

"""The course's one notation table, shared by the code and the notebooks.

Every notebook writes its math with these symbols and every function in ``gdcore``
names its variables with the matching code name, so that a line of math and the
line of code that implements it read alike. ``00_start_here.ipynb`` shows the
table with :func:`markdown_table`.
"""

from __future__ import annotations

from typing import NamedTuple


class Symbol(NamedTuple):
    math: str  # LaTeX, as written in the notebooks
    code: str  # the name used in gdcore and in notebook code
    meaning: str


TABLE: tuple[Symbol, ...] = (
    Symbol(r"x,\ y", "x, y", "the input feature and the targets, arrays of length N"),
    Symbol(r"N", "n", "number of training examples"),
    Symbol(r"X", "X", "design matrix, shape (N, d); for one feature X = [x, 1]"),
    Symbol(r"w,\ b", "w, b", "slope (weight) and intercept (bias) of the line"),
    Symbol(r"\theta", "theta", "parameter vector; θ = (w, b) for the line"),
    Symbol(r"\theta^*,\ L^*", "theta_star", "the minimizer and the smallest loss"),
    Symbol(r"\delta = \theta - \theta^*", "delta", "offset from the minimizer"),
    Symbol(r"\hat y", "y_hat", "predictions, ŷ = w·x + b = Xθ"),
    Symbol(r"e = \hat y - y", "err", "errors (residuals) of the predictions"),
    Symbol(r"L(\theta)", "loss", "the loss: MSE, half-MSE or SSE"),
    Symbol(r"g = \nabla L(\theta)", "g, grad", "gradient of the loss"),
    Symbol(r"H", "H", "Hessian (matrix of second derivatives) of the loss"),
    Symbol(r"\lambda_{\min},\ \lambda_{\max}", "lam_min, lam_max", "eigenvalues of H"),
    Symbol(r"\kappa", "kappa", "condition number λ_max / λ_min"),
    Symbol(r"\eta", "lr", "learning rate (article 003 calls it α)"),
    Symbol(r"t", "t", "step counter of an optimizer (Adam's first update has t = 1)"),
    Symbol(r"k", "k", "step index in a closed form, e.g. x_k = (1 − 2η)ᵏ·x₀"),
    Symbol(r"\beta", "beta", "momentum coefficient"),
    Symbol(r"v", "v", "velocity (momentum, Nesterov); Adam's second moment"),
    Symbol(r"G", "G", "AdaGrad's running sum of squared gradients"),
    Symbol(r"\rho,\ s", "rho, s", "RMSprop's decay rate and running mean of g²"),
    Symbol(r"\beta_1,\ \beta_2", "beta1, beta2", "Adam's decay rates"),
    Symbol(r"m", "m", "Adam's first moment (running mean of g)"),
    Symbol(r"\hat m,\ \hat v", "m_hat, v_hat", "Adam's bias-corrected moments"),
    Symbol(r"\varepsilon", "eps", "small constant that keeps a denominator from 0"),
    Symbol(r"B", "batch_size", "mini-batch size: 1 is SGD, N is full batch"),
    Symbol(r"\eta_{\min}", "lr_min", "the rate a decaying schedule ends at"),
    Symbol(r"T,\ T_w", "total_steps, warmup_steps", "run length, warm-up length"),
    Symbol(r"c", "max_norm", "gradient clipping: the longest gradient let through"),
    Symbol(
        r"\lambda_{wd}",
        "weight_decay",
        "weight decay (AdamW); λ alone is an eigenvalue",
    ),
    Symbol(r"\beta_{hd}", "hyper_lr", "SGD-HD: the rate at which η learns"),
    Symbol(r"g_{prev}", "g_prev", "SGD-HD: the previous step's gradient"),
    Symbol(r"r;\ U,\ V", "r; U, V", "rank of a low-rank update W + UV (LoRA)"),
)


def markdown_table() -> str:
    """The notation table as Markdown, for ``IPython.display.Markdown``."""
    rows = ["| math | code | meaning |", "|:---:|:---|:---|"]
    for sym in TABLE:
        rows.append(f"| ${sym.math}$ | `{sym.code}` | {sym.meaning} |")
    return "\n".join(rows)

"""Checkers for notebook 07, from a line to a neural network.

- :func:`check_relu_backprop`: the learner's ``relu_backprop(W1, b1, W2, b2, X, y)
  -> (dW1, db1, dW2, db2)``, the gradient of the mean cross-entropy of a network
  with one ReLU hidden layer, against :meth:`gdcore.MLP.grad` on several random
  nets and data sets.
- :func:`check_first_loss`: two numbers, the loss L(θ₀) of a network whose output
  layer starts at zero, for 3 classes and for 10 classes.

When an answer is wrong the checkers recognise the usual slips (a forward pass
still in tanh, tanh′ used for a ReLU, the derivative left out, a sum for the mean,
a mean for a bias's sum, the one-hot labels forgotten, a sign, a logarithm in the
wrong base, p for −log p) and say which one it looks like.
"""

from __future__ import annotations

import math

import numpy as np

from ..nn import MLP
from ._feedback import Feedback, as_real, call_quietly, correct, not_yet, same

# (inputs d, hidden units, classes K, examples N, seed) of the nets tried
CASES: tuple[tuple[int, int, int, int, int], ...] = (
    (2, 5, 3, 7, 0),
    (3, 4, 2, 1, 1),
    (2, 8, 4, 12, 2),
)
NAMES = ("dW1", "db1", "dW2", "db2")


def _case(d: int, hidden: int, k: int, n: int, seed: int):
    """A random net (W1, b1, W2, b2) and data (X, y); biases ≠ 0, some units off."""
    rng = np.random.default_rng(seed)
    W1, b1 = rng.normal(size=(d, hidden)), rng.normal(size=hidden)
    W2, b2 = rng.normal(size=(hidden, k)), rng.normal(size=k)
    X, y = rng.normal(size=(n, d)), rng.integers(0, k, size=n)
    return W1, b1, W2, b2, X, y


def reference(W1, b1, W2, b2, X, y) -> tuple[np.ndarray, ...]:
    """(dW1, db1, dW2, db2) from gd.MLP((d, hidden, K), "relu").grad."""
    net = MLP((W1.shape[0], W1.shape[1], W2.shape[1]), activation="relu")
    g = net.grad(net.pack([(W1, b1), (W2, b2)]), X, y)
    return tuple(part for layer in net.unpack(g) for part in layer)


def _variant(*, forward="relu", act="relu", mean=True, one_hot=True, sign=1, db="sum"):
    """The backward pass with one of the usual slips built in."""

    def backprop(W1, b1, W2, b2, X, y):
        z1 = X @ W1 + b1
        h = np.maximum(z1, 0) if forward == "relu" else np.tanh(z1)
        z2 = h @ W2 + b2
        P = np.exp(z2 - z2.max(axis=1, keepdims=True))
        P = P / P.sum(axis=1, keepdims=True)
        Y = np.eye(W2.shape[1])[y] if one_hot else 0.0
        delta2 = sign * (P - Y) / (len(y) if mean else 1)
        derivative = {"relu": z1 > 0, "tanh": 1 - h**2, "none": 1.0, "h": h}[act]
        delta1 = (delta2 @ W2.T) * derivative
        bias = np.sum if db == "sum" else np.mean
        return X.T @ delta1, bias(delta1, axis=0), h.T @ delta2, bias(delta2, axis=0)

    return backprop


def _slips():
    """(variant, what is wrong, hint), most specific first."""
    return [
        (
            _variant(forward="tanh", act="tanh"),
            "you return the gradient of the notebook's tanh network: the forward "
            "pass still computes h = tanh(z₁), and the backward pass uses tanh′.",
            "this layer is a ReLU: h = max(0, z₁) (np.maximum(z1, 0)), and its "
            "derivative is (z1 > 0).",
        ),
        (
            _variant(forward="tanh"),
            "your backward pass uses ReLU′, but your forward pass still computes "
            "h = tanh(z₁), so h, P and every gradient are those of another network.",
            "compute h = max(0, z₁) with np.maximum(z1, 0).",
        ),
        (
            _variant(act="tanh"),
            "your hidden-layer gradients use tanh′ = 1 − h², the derivative of the "
            "notebook's tanh network. This layer is a ReLU.",
            "ReLU′(z) is 1 where z > 0 and 0 elsewhere: multiply by (z1 > 0).",
        ),
        (
            _variant(act="none"),
            "your hidden-layer gradients leave out the derivative of the ReLU: "
            "δ₁ = δ₂W₂ᵀ passes gradient back through units that were switched off.",
            "multiply δ₂W₂ᵀ elementwise by ReLU′(z₁) = (z1 > 0).",
        ),
        (
            _variant(act="h"),
            "you multiplied δ₂W₂ᵀ by h = ReLU(z₁) itself, not by its derivative.",
            "ReLU′(z) is 0 or 1, not z: use (z1 > 0).",
        ),
        (
            _variant(mean=False),
            "every gradient is N times too large: you differentiated the sum of the "
            "losses, not their mean.",
            "L is the mean over the N examples: δ₂ = (P − Y)/N.",
        ),
        (
            _variant(db="mean"),
            "the weights' gradients are right, but the bias gradients are N times "
            "too small: δ already carries the 1/N of the mean.",
            "∂L/∂b = Σ_i δ[i]: sum δ over the examples (axis=0), do not average.",
        ),
        (
            _variant(one_hot=False),
            "δ₂ = P/N: the one-hot labels Y are missing from the output error.",
            "∂L/∂z₂ = (P − Y)/N, with Y[i, y_i] = 1: np.eye(K)[y].",
        ),
        (
            _variant(sign=-1),
            "every gradient has the wrong sign: (Y − P) in place of (P − Y).",
            "the gradient points uphill: δ₂ = (P − Y)/N.",
        ),
    ]


def _parts(value, shapes) -> list[np.ndarray] | None:
    if not isinstance(value, tuple | list) or len(value) != 4:
        return None
    try:
        parts = [np.asarray(part, dtype=float) for part in value]
    except (TypeError, ValueError):
        return None
    if [p.shape for p in parts] != list(shapes):
        return None
    return parts


def check_relu_backprop(relu_backprop) -> Feedback:
    """Check ``relu_backprop(W1, b1, W2, b2, X, y) -> (dW1, db1, dW2, db2)``."""
    answers = []
    for d, hidden, k, n, seed in CASES:
        args = _case(d, hidden, k, n, seed)
        value, fb = call_quietly(
            relu_backprop, *(a.copy() for a in args)
        )  # copies: the learner may change them in place
        if fb is not None:
            return fb
        shapes = [a.shape for a in args[:4]]
        parts = _parts(value, shapes)
        if parts is None:
            return not_yet(
                f"relu_backprop returned {_describe(value)}; expected four arrays "
                f"with the shapes of W1, b1, W2, b2: {', '.join(map(str, shapes))}.",
                "each gradient has the shape of its parameter: return "
                "(dW1, db1, dW2, db2). A bias gradient sums δ over the examples "
                "(axis=0).",
            )
        if not all(np.all(np.isfinite(p)) for p in parts):
            return not_yet(
                "relu_backprop returned NaN or inf.",
                "compute the softmax as exp(z − max z) / sum: it never overflows.",
            )
        answers.append((args, parts))
    wrong = [
        (args, parts)
        for args, parts in answers
        if not all(same(p, r) for p, r in zip(parts, reference(*args), strict=True))
    ]
    if not wrong:
        return correct(
            "your backward pass matches gd.MLP.grad on every net tried: the output "
            "error (P − Y)/N, the weights' gradients hᵀδ, and ReLU′ at the hidden "
            "layer."
        )
    for variant, message, hint in _slips():
        if all(
            all(same(p, r) for p, r in zip(parts, variant(*args), strict=True))
            for args, parts in answers
        ):
            return not_yet(message, hint)
    args, parts = wrong[0]
    ref = reference(*args)
    bad = [name for name, p, r in zip(NAMES, parts, ref, strict=True) if not same(p, r)]
    if set(bad) <= {"dW1", "db1"}:
        where = (
            "the output layer (dW2, db2) is right, so the error is on the way back "
            "through the hidden layer"
        )
        hint = "δ₁ = (δ₂ W₂ᵀ) ⊙ ReLU′(z₁), then dW1 = Xᵀδ₁ and db1 = Σ_i δ₁[i]."
    else:
        where = "the output layer is already wrong"
        hint = "start from δ₂ = (P − Y)/N; then dW2 = hᵀδ₂ and db2 = Σ_i δ₂[i]."
    first = NAMES.index(bad[0])
    return not_yet(
        f"{', '.join(bad)} differ from gd.MLP.grad's: {where}. For example "
        f"{bad[0]} = {np.round(ref[first], 4).tolist()} expected, "
        f"{np.round(parts[first], 4).tolist()} returned.",
        hint,
    )


def _describe(value) -> str:
    if isinstance(value, tuple | list):
        shapes = [np.shape(v) for v in value]
        return f"{len(value)} values of shapes {shapes}"
    return f"a {type(value).__name__}"


# --- exercise 2: the loss at the start ------------------------------------------------

CLASSES = (3, 10)
ROUNDING = 0.005  # an answer right to two decimals (1.10 for 1.0986…) passes


def first_loss(k: int) -> float:
    """L(θ₀) of a K-class network whose output layer (W, b) starts at zero: log K."""
    net = MLP((2, 4, k))
    theta = net.init(np.random.default_rng(0))
    (W1, b1), _ = net.unpack(theta)
    theta = net.pack([(W1, b1), (np.zeros((4, k)), np.zeros(k))])
    X = np.random.default_rng(1).normal(size=(5, 2))
    return net.loss(theta, X, np.arange(5) % k)


def check_first_loss(answer) -> Feedback:
    """Check (L for 3 classes, L for 10 classes) when the output layer starts at 0."""
    if answer is None:
        return not_yet(
            "the exercise is not solved yet.",
            "replace `answer = None` with a pair of numbers: "
            "(L for K = 3, L for K = 10).",
        )
    if isinstance(answer, str | bytes) or not hasattr(answer, "__len__"):
        return not_yet(
            f"expected two numbers, got {answer!r}.",
            "answer = (L for K = 3, L for K = 10).",
        )
    if len(answer) != 2:
        return not_yet(
            f"expected two numbers, got {len(answer)}.",
            "answer = (L for K = 3, L for K = 10).",
        )
    values = [as_real(a) for a in answer]
    if any(v is None for v in values):
        return not_yet(
            f"expected two real numbers, got {answer!r}.",
            "answer = (L for K = 3, L for K = 10), as floats.",
        )
    want = [first_loss(k) for k in CLASSES]
    # right to 3 significant digits, or to 2 decimals as in "log 3 ≈ 1.10"
    if all(
        math.isclose(v, w, rel_tol=1e-3, abs_tol=ROUNDING)
        for v, w in zip(values, want, strict=True)
    ):
        return correct(
            f"with equal logits every class gets p = 1/K, so L = log K: "
            f"{want[0]:.4f} for 3 classes and {want[1]:.4f} for 10. A loss far above "
            "log K at the start means the network starts out confidently wrong."
        )
    slips = [
        ([1 / k for k in CLASSES], "that is p = 1/K, the probability of the right "
         "class, not the loss −log p."),
        ([-math.log(k) for k in CLASSES], "the sign is flipped: L = −log p = −log(1/K) "
         "= +log K, and a cross-entropy is never negative."),
        ([math.log2(k) for k in CLASSES], "that is log₂ K: the course's log is the "
         "natural logarithm (np.log), as in the softmax's exp."),
        ([math.log10(k) for k in CLASSES], "that is log₁₀ K: the course's log is the "
         "natural logarithm (np.log), as in the softmax's exp."),
        ([1 - 1 / k for k in CLASSES], "that is 1 − 1/K, the probability of the "
         "wrong classes together, not the loss −log p of the right one."),
        ([0.0, 0.0], "zero weights do not give zero loss: they give equal logits, "
         "hence equal probabilities."),
        ([want[0], want[0]], "both numbers are the loss for K = 3; the second is for "
         "K = 10 classes, where each class gets a smaller p."),
    ]  # fmt: skip
    for expected, message in slips:
        if all(
            math.isclose(v, e, rel_tol=1e-3, abs_tol=1e-9)
            for v, e in zip(values, expected, strict=True)
        ):
            return not_yet(message, "all logits are equal: what is each softmax p_k?")
    return not_yet(
        f"({values[0]:.4g}, {values[1]:.4g}) is not it.",
        "with W = 0 and b = 0 in the last layer every logit is 0. What is the softmax "
        "of K equal numbers, and what is −log of the right class's probability?",
    )

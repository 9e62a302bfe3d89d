"""A small neural network, M(x, θ), whose parameters are one flat vector θ.

A multilayer perceptron with sizes (d, n₁, …, K) maps an input row x ∈ ℝᵈ to K
scores (logits) through D = len(sizes) − 1 layers:

    h₀ = x
    z_l = h_{l−1} W_l + b_l          W_l of shape (n_{l−1}, n_l), b_l of shape (n_l,)
    h_l = act(z_l)                   for the hidden layers l = 1 … D − 1
    z_D = h_{D−1} W_D + b_D          the output layer is linear: the logits

act is tanh or ReLU (max(0, z)). The K logits become probabilities by the
softmax, p_k = exp(z_k) / Σ_j exp(z_j), and the loss over N examples with
integer labels y_i ∈ {0, …, K − 1} is the mean cross-entropy

    L(θ) = (1/N) Σ_i [ log Σ_j exp(z_ij) − z_{i,y_i} ],

computed with the log-sum-exp trick (subtract the largest logit of each row
first), so that large logits neither overflow nor give NaN.

The layout of θ: W₁, b₁, W₂, b₂, …, each flattened in C (row-major) order. So
every optimizer, schedule and mini-batch loop of gdcore applies unchanged.

The gradient is backpropagation, the chain rule applied from the loss back to
the first layer (one line of code per line of math in :meth:`MLP.grad`):

    δ_D = (P − Y) / N                P the softmax probabilities, Y one-hot labels
    ∂L/∂W_l = h_{l−1}ᵀ δ_l,   ∂L/∂b_l = Σ_i δ_l[i]
    δ_{l−1} = (δ_l W_lᵀ) ⊙ act′(z_{l−1})
              tanh′(z) = 1 − tanh(z)² = 1 − h²,   ReLU′(z) = 1 if z > 0 else 0

Backpropagation only computes g = ∇L(θ); what to do with it (a plain step,
momentum, Adam) is the optimizer's business.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_array, check_int
from .batching import check_rng

ACTIVATIONS = ("tanh", "relu")


def _quiet() -> np.errstate:
    """Overflow is checked explicitly (see ``_finite``), never warned about."""
    return np.errstate(over="ignore", invalid="ignore", divide="ignore")


def _finite(value: np.ndarray, name: str) -> np.ndarray:
    if not np.all(np.isfinite(value)):
        raise FloatingPointError(
            f"{name} overflowed float64: the parameters are too large "
            "(is the run diverging?)"
        )
    return value


class MLP:
    """A multilayer perceptron with tanh or ReLU hidden layers and a softmax output.

    Parameters
    ----------
    sizes : (d, n₁, …, K), at least two integers: d ≥ 1 inputs, hidden widths
        ≥ 1, K ≥ 2 classes. ``(2, 3)`` is a linear softmax classifier.
    activation : "tanh" or "relu", applied after every hidden layer.

    Examples
    --------
    >>> net = MLP((2, 16, 16, 3))
    >>> net.n_params  # (2·16 + 16) + (16·16 + 16) + (16·3 + 3)
    371
    """

    def __init__(self, sizes: Sequence[int], activation: str = "tanh") -> None:
        if isinstance(sizes, str | bytes) or not isinstance(sizes, Sequence):
            raise TypeError(f"sizes must be a sequence of integers, got {sizes!r}")
        if len(sizes) < 2:
            raise ValueError(
                f"sizes must hold at least 2 integers (inputs, classes), got {sizes!r}"
            )
        sizes = tuple(
            check_int(n, f"sizes[{i}]", minimum=1) for i, n in enumerate(sizes)
        )
        if sizes[-1] < 2:
            raise ValueError(
                f"sizes[-1] is the number of classes and must be >= 2, got {sizes[-1]}"
            )
        if activation not in ACTIVATIONS:
            raise ValueError(
                f"activation must be one of {', '.join(map(repr, ACTIVATIONS))}, "
                f"got {activation!r}"
            )
        self.sizes = sizes
        self.activation = activation
        self.shapes = list(itertools.pairwise(sizes))  # (n_in, n_out)
        self.n_params = sum(n_in * n_out + n_out for n_in, n_out in self.shapes)

    def __repr__(self) -> str:
        return f"MLP(sizes={self.sizes}, activation={self.activation!r})"

    @property
    def n_classes(self) -> int:
        """K, the number of outputs."""
        return self.sizes[-1]

    # -- parameters ---------------------------------------------------------------

    def init(self, rng: np.random.Generator) -> np.ndarray:
        """A random θ: normal weights, zero biases.

        W_l ~ Normal(0, σ_l²), drawn from ``rng`` layer by layer, with

            tanh:  σ_l² = 2 / (n_in + n_out)    Glorot & Bengio (2010), "Glorot normal"
            relu:  σ_l² = 2 / n_in              He et al. (2015), "He normal"

        (Glorot & Bengio draw from a uniform distribution with this variance, and
        Keras's glorot_normal truncates the normal at 2σ; here it is a plain normal.)

        so that signals keep about the same size from layer to layer at the start.
        """
        check_rng(rng)
        parts = []
        for n_in, n_out in self.shapes:
            if self.activation == "tanh":
                std = math.sqrt(2.0 / (n_in + n_out))
            else:
                std = math.sqrt(2.0 / n_in)
            parts.append(rng.normal(0.0, std, size=n_in * n_out))
            parts.append(np.zeros(n_out))
        return np.concatenate(parts)

    def unpack(self, theta: ArrayLike) -> list[tuple[np.ndarray, np.ndarray]]:
        """[(W₁, b₁), (W₂, b₂), …]: views into θ, W_l of shape (n_in, n_out)."""
        theta = self._check_theta(theta)
        layers, start = [], 0
        for n_in, n_out in self.shapes:
            W = theta[start : start + n_in * n_out].reshape(n_in, n_out)
            start += n_in * n_out
            b = theta[start : start + n_out]
            start += n_out
            layers.append((W, b))
        return layers

    def pack(self, layers: Sequence[tuple[ArrayLike, ArrayLike]]) -> np.ndarray:
        """The inverse of :meth:`unpack`: one flat θ from [(W₁, b₁), …]."""
        if len(layers) != len(self.shapes):
            raise ValueError(
                f"layers must hold {len(self.shapes)} (W, b) pairs, got {len(layers)}"
            )
        parts = []
        for i, ((W, b), (n_in, n_out)) in enumerate(
            zip(layers, self.shapes, strict=True), start=1
        ):
            W = as_array(W, f"W{i}", ndim=2)
            b = as_array(b, f"b{i}", ndim=1)
            if W.shape != (n_in, n_out) or b.shape != (n_out,):
                raise ValueError(
                    f"W{i}, b{i} must have shapes {(n_in, n_out)} and {(n_out,)}, "
                    f"got {W.shape} and {b.shape}"
                )
            parts += [W.ravel(), b]
        return np.concatenate(parts)

    # -- forward and backward ---------------------------------------------------------

    def logits(self, theta: ArrayLike, X: ArrayLike) -> np.ndarray:
        """z_D, shape (N, K): the scores before the softmax."""
        layers = self.unpack(theta)
        X = self._check_X(X)
        return self._forward(layers, X)[-1]

    def predict_proba(self, theta: ArrayLike, X: ArrayLike) -> np.ndarray:
        """Softmax probabilities, shape (N, K); each row sums to 1."""
        z = self.logits(theta, X)
        e = np.exp(z - z.max(axis=1, keepdims=True))  # largest term is exp(0) = 1
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, theta: ArrayLike, X: ArrayLike) -> np.ndarray:
        """The most probable class of each row, shape (N,)."""
        return np.argmax(self.logits(theta, X), axis=1)

    def accuracy(self, theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> float:
        """The fraction of rows whose most probable class is the label."""
        X, y = self._check_data(X, y)
        return float(np.mean(self.predict(theta, X) == y))

    def loss(self, theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> float:
        """Mean cross-entropy L(θ) = (1/N) Σ_i [logsumexp(z_i) − z_{i,y_i}]."""
        layers = self.unpack(theta)
        X, y = self._check_data(X, y)
        z = self._forward(layers, X)[-1]
        with _quiet():  # logits of ±1e308 are finite, their difference is not
            losses = _logsumexp(z) - z[np.arange(len(y)), y]
        return float(np.mean(_finite(losses, "the loss")))

    def grad(self, theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
        """∇L(θ) by backpropagation, in the layout of θ."""
        layers = self.unpack(theta)
        X, y = self._check_data(X, y)
        hs = self._forward(layers, X)  # h₀ = X, h₁, …, h_{D−1}, z_D
        z = hs.pop()
        n = len(y)
        grads = []
        with _quiet():
            P = np.exp(z - _logsumexp(z)[:, None])  # softmax, safely
            Y = np.eye(self.n_classes)[y]  # one-hot labels
            delta = (P - Y) / n  # δ_D = ∂L/∂z_D
            for i in reversed(range(len(layers))):  # layer l = i + 1, last to first
                W, _ = layers[i]
                h_prev = hs[i]  # h_{l−1}
                dW = h_prev.T @ delta  # ∂L/∂W_l = h_{l−1}ᵀ δ_l
                db = delta.sum(axis=0)  # ∂L/∂b_l = Σ_i δ_l[i]
                grads.append((dW, db))
                if i > 0:
                    delta = (delta @ W.T) * self._act_grad(h_prev)  # δ_{l−1}
        parts = [part.ravel() for dW, db in reversed(grads) for part in (dW, db)]
        return _finite(np.concatenate(parts), "the gradient")

    def _forward(self, layers, X: np.ndarray) -> list[np.ndarray]:
        """[h₀, h₁, …, h_{D−1}, z_D]: every layer's output, the logits last."""
        hs = [X]
        with _quiet():
            for i, (W, b) in enumerate(layers, start=1):
                z = hs[-1] @ W + b  # z_l = h_{l−1} W_l + b_l
                hs.append(z if i == len(layers) else self._act(z))
        _finite(hs[-1], "the logits")
        return hs

    def _act(self, z: np.ndarray) -> np.ndarray:
        return np.tanh(z) if self.activation == "tanh" else np.maximum(z, 0.0)

    def _act_grad(self, h: np.ndarray) -> np.ndarray:
        """act′(z) written with h = act(z): 1 − h² for tanh, [h > 0] for ReLU."""
        return 1.0 - h**2 if self.activation == "tanh" else (h > 0).astype(float)

    # -- checks -------------------------------------------------------------------

    def _check_theta(self, theta) -> np.ndarray:
        theta = as_array(theta, "theta", ndim=1)
        if theta.shape != (self.n_params,):
            raise ValueError(
                f"theta must have length n_params = {self.n_params} for sizes "
                f"{self.sizes}, got shape {theta.shape}"
            )
        return theta

    def _check_X(self, X) -> np.ndarray:
        X = as_array(X, "X", ndim=2)
        if X.shape[1] != self.sizes[0]:
            raise ValueError(
                f"X must have sizes[0] = {self.sizes[0]} columns, got shape {X.shape}"
            )
        return X

    def _check_data(self, X, y) -> tuple[np.ndarray, np.ndarray]:
        X = self._check_X(X)
        labels = np.asarray(y)
        if labels.dtype.kind not in "iu":  # integers; not bool, not float
            raise TypeError(
                f"y must hold integer class labels 0..{self.n_classes - 1}, "
                f"got dtype {labels.dtype}"
            )
        if labels.shape != (X.shape[0],):
            raise ValueError(
                f"y must have length X.shape[0] = {X.shape[0]} (one label per row "
                f"of X), got shape {labels.shape}"
            )
        bad = (labels < 0) | (labels >= self.n_classes)
        if np.any(bad):
            raise ValueError(
                f"y must hold labels in 0..{self.n_classes - 1}, "
                f"got {labels[bad][0]} at index {int(np.argmax(bad))}"
            )
        return X, labels


def _logsumexp(z: np.ndarray) -> np.ndarray:
    """log Σ_j exp(z_ij) for each row: m + log Σ_j exp(z_ij − m), m = max_j z_ij."""
    m = z.max(axis=1)
    return m + np.log(np.exp(z - m[:, None]).sum(axis=1))

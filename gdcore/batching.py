"""Mini-batches: which examples each step of an epoch looks at.

One epoch visits the N examples once, in batches of B indices:

    B = 1        stochastic gradient descent (one example per step)
    1 < B < N    mini-batch gradient descent
    B = N        full-batch gradient descent (one step per epoch)

The indices are shuffled with an explicit ``numpy.random.Generator``: there is no
hidden global random state, so the same seed always gives the same batches.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ._validate import check_bool, check_int


def check_rng(rng) -> np.random.Generator:
    """Return ``rng`` if it is a ``numpy.random.Generator``, else raise TypeError."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            "rng must be a numpy.random.Generator "
            f"(e.g. np.random.default_rng(0)), got {rng!r}"
        )
    return rng


def _check_sizes(n, batch_size) -> tuple[int, int]:
    n = check_int(n, "n", minimum=1)
    batch_size = check_int(batch_size, "batch_size")
    if not 1 <= batch_size <= n:
        raise ValueError(f"batch_size must be in [1, {n}], got {batch_size}")
    return n, batch_size


def n_batches(n: int, batch_size: int, *, drop_last: bool = False) -> int:
    """Number of batches (= optimizer steps) in one epoch.

    ⌈N/B⌉ when the last, shorter batch is kept; ⌊N/B⌋ when ``drop_last``.
    """
    n, batch_size = _check_sizes(n, batch_size)
    if check_bool(drop_last, "drop_last"):
        return n // batch_size
    return -(-n // batch_size)


def minibatches(
    n: int,
    batch_size: int,
    rng: np.random.Generator,
    *,
    shuffle: bool = True,
    drop_last: bool = False,
) -> Iterator[np.ndarray]:
    """Yield one epoch of index arrays into N examples, ``batch_size`` at a time.

    With ``shuffle`` the order is a fresh permutation drawn from ``rng`` (drawn
    when this function is called, not when the first batch is taken); without
    it the batches are 0..B−1, B..2B−1, … and ``rng`` is left untouched. The
    last batch holds the N mod B leftover indices unless ``drop_last`` is set.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> [b.tolist() for b in minibatches(5, 2, rng, shuffle=False)]
    [[0, 1], [2, 3], [4]]
    """
    n, batch_size = _check_sizes(n, batch_size)
    check_rng(rng)
    shuffle = check_bool(shuffle, "shuffle")
    drop_last = check_bool(drop_last, "drop_last")
    order = rng.permutation(n) if shuffle else np.arange(n)
    stop = n - n % batch_size if drop_last else n
    return (order[i : i + batch_size] for i in range(0, stop, batch_size))

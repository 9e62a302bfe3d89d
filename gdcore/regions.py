"""Decision regions of a 2-D classifier: which class it predicts at every point.

A grid of G × G points covers the data (with a margin); the classifier's most
probable class at each grid point is drawn as a coloured image, one colour per
class, under the data points in the same colours::

    art = plot_decision_regions(net, theta, X, y)      # draws once
    set_regions(art, net, theta)                       # a new θ, same artists

The plot helpers take ``ax=None`` and return what they drew (see
:mod:`gdcore.plotting`).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from matplotlib.colors import ListedColormap, to_rgb

from . import plotting
from ._validate import as_array, check_int

GRID = 80  # grid points per side
MARGIN = 0.15  # added to each side, as a fraction of the data's range
CLASS_COLORS = plotting.PALETTE[:5]  # class k gets colour k
REGION_ALPHA = 0.3  # the regions' colours: 30 % class colour, 70 % white


class Regions(NamedTuple):
    """What :func:`plot_decision_regions` drew, and the grid it evaluated."""

    ax: Any
    image: Any  # AxesImage of the predicted class at each grid point
    points: Any  # PathCollection of the data
    grid: np.ndarray  # (G·G, 2) points, row by row from the bottom left


def region_grid(
    X, n: int = GRID
) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """(n·n grid points, extent (x0, x1, y0, y1)) covering X with a margin."""
    X = as_array(X, "X", ndim=2)
    n = check_int(n, "n", minimum=2)
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = MARGIN * np.maximum(hi - lo, 1e-9)
    (x0, y0), (x1, y1) = lo - pad, hi + pad
    gx, gy = np.meshgrid(np.linspace(x0, x1, n), np.linspace(y0, y1, n))
    return np.column_stack([gx.ravel(), gy.ravel()]), (x0, x1, y0, y1)


def class_colors(k: int) -> ListedColormap:
    """One colour per class, the same in the regions and the points."""
    k = check_int(k, "k", minimum=2)
    if k > len(CLASS_COLORS):
        raise ValueError(f"k must be at most {len(CLASS_COLORS)} classes, got {k}")
    return ListedColormap(CLASS_COLORS[:k])


def region_colors(k: int) -> ListedColormap:
    """The class colours made pale (mixed with white), for the regions.

    Opaque, so that drawing the regions needs no alpha blending.
    """
    colors = np.array([to_rgb(c) for c in class_colors(k).colors])
    return ListedColormap(REGION_ALPHA * colors + (1 - REGION_ALPHA))


def plot_decision_regions(
    net, theta, X, y, *, ax=None, n: int = GRID, s: float = 14.0
) -> Regions:
    """The classes ``net`` predicts with ``theta`` over the plane, and the data."""
    ax = plotting.new_axes(ax)
    grid, extent = region_grid(X, n)
    cmap = class_colors(net.n_classes)
    image = ax.imshow(
        np.zeros((n, n)),
        origin="lower",
        extent=extent,
        cmap=region_colors(net.n_classes),
        vmin=-0.5,
        vmax=net.n_classes - 0.5,
        interpolation="nearest",
        aspect="auto",
    )
    points = ax.scatter(
        X[:, 0], X[:, 1], c=y, cmap=cmap, vmin=-0.5, vmax=net.n_classes - 0.5,
        s=s, edgecolors="0.15", linewidths=0.4,
    )  # fmt: skip
    ax.set(xlim=extent[:2], ylim=extent[2:], xticks=[], yticks=[])
    art = Regions(ax, image, points, grid)
    set_regions(art, net, theta)
    return art


def set_regions(art: Regions, net, theta) -> None:
    """Redraw the regions for a new θ (in place: the image's data only)."""
    n = art.image.get_array().shape[0]
    art.image.set_data(net.predict(theta, art.grid).reshape(n, n))

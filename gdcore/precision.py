"""Printing only the digits that mean something.

A float computation is exact to about 1e-16 of the numbers it works with. So a
difference of two nearly equal numbers, such as L − L* when a run has reached
the minimum, is rounding noise once it falls below about 1e-12 of those numbers:
``4e-31`` on one CPU and ``1.2e-30`` on another. The course prints such a gap as
zero to machine precision, and keeps the real value for its assertions::

    >>> format_gap(4.4e-31, scale=300.0**2)
    '0 (machine precision)'
    >>> format_gap(2.5e-3, scale=1.0)
    '0.0025'

``scale`` is the size of the numbers that were subtracted: for a loss gap, the
loss's own size where it started is a safe choice; for a mean squared error, the
squared size of the targets.
"""

from __future__ import annotations

import math

from ._validate import check_nonnegative, check_real

RTOL = 1e-12  # below this fraction of the scale, a difference is rounding noise
ZERO = "0 (machine precision)"


def is_machine_zero(gap: float, scale: float, rtol: float = RTOL) -> bool:
    """True when ``|gap| ≤ rtol · scale``: a difference that rounding alone explains."""
    gap = check_real(gap, "gap")
    scale = check_nonnegative(scale, "scale")
    rtol = check_nonnegative(rtol, "rtol")
    if not math.isfinite(gap):
        raise ValueError(f"gap must be finite, got {gap}")
    return abs(gap) <= rtol * scale


def format_gap(
    gap: float, scale: float, spec: str = ".2g", *, rtol: float = RTOL, zero: str = ZERO
) -> str:
    """``gap`` formatted with ``spec``, or ``zero`` when it is rounding noise.

    Rounding noise means ``|gap| ≤ rtol · scale`` (see :func:`is_machine_zero`).
    """
    if is_machine_zero(gap, scale, rtol):
        return zero
    return format(gap, spec)

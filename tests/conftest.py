"""Fixtures shared by the explorer tests; the property tests' Hypothesis profile."""

import matplotlib.pyplot as plt
import pytest
from hypothesis import settings

# Property tests draw the same examples on every run and every machine, so that
# CI never fails on an example nobody has seen. To explore further by hand:
# pytest --hypothesis-profile=explore (new random examples on every run).
settings.register_profile("course", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile("course")


@pytest.fixture
def explorer_factory():
    """``factory(Cls)`` builds explorers of that class, all closed after the test."""
    made = []

    def factory(cls):
        def build(*args, **kwargs):
            explorer = cls(*args, **kwargs)
            made.append(explorer)
            return explorer

        return build

    yield factory
    for explorer in made:
        explorer.close()
    assert plt.get_fignums() == []  # Agg explorers never register with pyplot


@pytest.fixture
def stamp_check(monkeypatch):
    """``stamp_check(pictures)``: stamps put back exactly what drawing gives.

    ``pictures()`` builds an explorer and returns its picture after each of a
    list of moves (made twice over, so that some states come back). Run with
    :class:`~gdcore.widgets._stamp.Stamp` as it is, some draws must be put back;
    run with every stamp drawing instead, the pictures must be the same.
    """
    from gdcore.widgets import _stamp

    real = _stamp.Stamp.draw

    def check(pictures) -> None:
        put_back = []

        def counting(stamp, renderer, key, bbox, draw):
            drawn = []
            real(stamp, renderer, key, bbox, lambda r: (drawn.append(r), draw(r)))
            put_back.append(not drawn)

        monkeypatch.setattr(_stamp.Stamp, "draw", counting)
        stamped = pictures()
        assert sum(put_back) > len(stamped) // 2  # bands and titles were put back
        monkeypatch.setattr(
            _stamp.Stamp, "draw", lambda stamp, r, key, bbox, draw: draw(r)
        )
        assert pictures() == stamped

    return check

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

"""Fixtures shared by the explorer tests."""

import matplotlib.pyplot as plt
import pytest


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

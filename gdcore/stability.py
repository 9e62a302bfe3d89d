"""STUB: to be written (see /tmp/spec/API.md)."""

def eigenvalues(*args, **kwargs):
    raise NotImplementedError

def condition_number(*args, **kwargs):
    raise NotImplementedError

def max_stable_lr(*args, **kwargs):
    raise NotImplementedError

def optimal_lr(*args, **kwargs):
    raise NotImplementedError

def convergence_factor(*args, **kwargs):
    raise NotImplementedError

def classify_lr(*args, **kwargs):
    raise NotImplementedError

MONOTONE = None
OSCILLATING = None
PERIODIC = None
DIVERGING = None

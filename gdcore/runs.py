"""STUB: to be written (see /tmp/spec/API.md)."""

def History(*args, **kwargs):
    raise NotImplementedError

def descend(*args, **kwargs):
    raise NotImplementedError

def fit_linear_regression(*args, **kwargs):
    raise NotImplementedError


"""STUB: to be written (see /tmp/spec/API.md)."""

def normal_equations_line(*args, **kwargs):
    raise NotImplementedError

def fit_line(*args, **kwargs):
    raise NotImplementedError

def fit_least_squares(*args, **kwargs):
    raise NotImplementedError


"""STUB: to be written (see /tmp/spec/API.md)."""

def Objective(*args, **kwargs):
    raise NotImplementedError

def parabola(*args, **kwargs):
    raise NotImplementedError

def quadratic_bowl(*args, **kwargs):
    raise NotImplementedError

def rosenbrock(*args, **kwargs):
    raise NotImplementedError

def wavy_1d(*args, **kwargs):
    raise NotImplementedError

def wavy_2d(*args, **kwargs):
    raise NotImplementedError

def saddle(*args, **kwargs):
    raise NotImplementedError

OBJECTIVES = None
def get_objective(*args, **kwargs):
    raise NotImplementedError


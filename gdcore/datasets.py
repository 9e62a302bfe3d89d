"""STUB: to be written (see /tmp/spec/API.md)."""

def house_prices(*args, **kwargs):
    raise NotImplementedError

HOUSE_W0 = None
HOUSE_B0 = None
def synthetic_houses(*args, **kwargs):
    raise NotImplementedError

def standardize(*args, **kwargs):
    raise NotImplementedError

def unstandardize_line(*args, **kwargs):
    raise NotImplementedError


"""STUB: to be written (see /tmp/spec/API.md)."""

def constant(*args, **kwargs):
    raise NotImplementedError

def step_decay(*args, **kwargs):
    raise NotImplementedError

def exponential(*args, **kwargs):
    raise NotImplementedError

def inverse_time(*args, **kwargs):
    raise NotImplementedError

def cosine(*args, **kwargs):
    raise NotImplementedError

SCHEDULES = None
def get_schedule(*args, **kwargs):
    raise NotImplementedError


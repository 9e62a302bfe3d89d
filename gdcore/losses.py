"""STUB: to be written (see /tmp/spec/API.md)."""

def predict(*args, **kwargs):
    raise NotImplementedError

def mse(*args, **kwargs):
    raise NotImplementedError

def mse_grad(*args, **kwargs):
    raise NotImplementedError

def half_mse(*args, **kwargs):
    raise NotImplementedError

def half_mse_grad(*args, **kwargs):
    raise NotImplementedError

def sse(*args, **kwargs):
    raise NotImplementedError

def sse_grad(*args, **kwargs):
    raise NotImplementedError

def mse_hessian(*args, **kwargs):
    raise NotImplementedError

def half_mse_hessian(*args, **kwargs):
    raise NotImplementedError

def sse_hessian(*args, **kwargs):
    raise NotImplementedError

LOSSES = None
def get_loss(*args, **kwargs):
    raise NotImplementedError

def design_matrix(*args, **kwargs):
    raise NotImplementedError

def line_mse(*args, **kwargs):
    raise NotImplementedError

def line_mse_grad(*args, **kwargs):
    raise NotImplementedError

def line_half_mse(*args, **kwargs):
    raise NotImplementedError

def line_half_mse_grad(*args, **kwargs):
    raise NotImplementedError

def line_sse(*args, **kwargs):
    raise NotImplementedError

def line_sse_grad(*args, **kwargs):
    raise NotImplementedError


"""STUB: to be written (see /tmp/spec/API.md)."""

def forward_difference(*args, **kwargs):
    raise NotImplementedError

def central_difference(*args, **kwargs):
    raise NotImplementedError

def numerical_gradient(*args, **kwargs):
    raise NotImplementedError

def numerical_hessian(*args, **kwargs):
    raise NotImplementedError


"""STUB: to be written (see /tmp/spec/API.md)."""

def Optimizer(*args, **kwargs):
    raise NotImplementedError

def SGDState(*args, **kwargs):
    raise NotImplementedError

def MomentumState(*args, **kwargs):
    raise NotImplementedError

def NesterovState(*args, **kwargs):
    raise NotImplementedError

def AdaGradState(*args, **kwargs):
    raise NotImplementedError

def RMSpropState(*args, **kwargs):
    raise NotImplementedError

def AdamState(*args, **kwargs):
    raise NotImplementedError

def sgd(*args, **kwargs):
    raise NotImplementedError

def momentum(*args, **kwargs):
    raise NotImplementedError

def nesterov(*args, **kwargs):
    raise NotImplementedError

def adagrad(*args, **kwargs):
    raise NotImplementedError

def rmsprop(*args, **kwargs):
    raise NotImplementedError

def adam(*args, **kwargs):
    raise NotImplementedError

OPTIMIZERS = None
def get_optimizer(*args, **kwargs):
    raise NotImplementedError


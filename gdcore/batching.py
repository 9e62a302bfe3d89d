"""STUB: to be written (see /tmp/spec/API.md)."""

def minibatches(*args, **kwargs):
    raise NotImplementedError

def n_batches(*args, **kwargs):
    raise NotImplementedError


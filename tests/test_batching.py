"""Mini-batches: every example once per epoch, in seeded order."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gdcore as gd


def batches(n, batch_size, seed=0, **kwargs):
    rng = np.random.default_rng(seed)
    return list(gd.minibatches(n, batch_size, rng, **kwargs))


def test_unshuffled_batches_are_consecutive_with_a_short_last_batch():
    # 7 = 3 + 3 + 1
    got = [b.tolist() for b in batches(7, 3, shuffle=False)]
    assert got == [[0, 1, 2], [3, 4, 5], [6]]


def test_drop_last_drops_the_short_batch():
    # 7 = 3 + 3 (+ 1 dropped)
    got = [b.tolist() for b in batches(7, 3, shuffle=False, drop_last=True)]
    assert got == [[0, 1, 2], [3, 4, 5]]


def test_drop_last_keeps_everything_when_batches_fit_exactly():
    assert [len(b) for b in batches(6, 3, drop_last=True)] == [3, 3]


def test_shuffled_batch_sizes():
    # 10 = 4 + 4 + 2
    assert [len(b) for b in batches(10, 4)] == [4, 4, 2]


def test_batch_size_one_is_sgd_and_n_is_full_batch():
    single = batches(5, 1)
    assert [len(b) for b in single] == [1] * 5
    full = batches(5, 5)
    assert len(full) == 1
    assert sorted(full[0].tolist()) == [0, 1, 2, 3, 4]


def test_shuffle_actually_reorders():
    # 20! orders: the chance that a shuffle returns the identity is negligible,
    # and the seed is fixed anyway.
    (order,) = batches(20, 20)
    assert order.tolist() != list(range(20))


@settings(max_examples=50, deadline=None)
@given(
    n=st.integers(1, 60),
    data=st.data(),
    seed=st.integers(0, 2**32 - 1),
    shuffle=st.booleans(),
)
def test_one_epoch_visits_every_example_once(n, data, seed, shuffle):
    batch_size = data.draw(st.integers(1, n))
    got = batches(n, batch_size, seed, shuffle=shuffle)
    assert np.array_equal(np.sort(np.concatenate(got)), np.arange(n))
    assert all(len(b) == batch_size for b in got[:-1])
    assert 1 <= len(got[-1]) <= batch_size
    assert len(got) == gd.n_batches(n, batch_size)


@settings(max_examples=50, deadline=None)
@given(n=st.integers(1, 60), data=st.data(), seed=st.integers(0, 2**32 - 1))
def test_drop_last_gives_only_full_batches_of_distinct_indices(n, data, seed):
    batch_size = data.draw(st.integers(1, n))
    got = batches(n, batch_size, seed, drop_last=True)
    assert all(len(b) == batch_size for b in got)
    assert len(got) == gd.n_batches(n, batch_size, drop_last=True) == n // batch_size
    flat = np.concatenate(got)
    assert len(np.unique(flat)) == len(flat) == n - n % batch_size


def test_same_seed_same_batches_different_seed_different_batches():
    a, b, c = batches(50, 7, seed=1), batches(50, 7, seed=1), batches(50, 7, seed=2)
    assert all(np.array_equal(x, y) for x, y in zip(a, b, strict=True))
    assert not all(np.array_equal(x, z) for x, z in zip(a, c, strict=True))


def test_one_generator_gives_a_new_order_each_epoch():
    rng = np.random.default_rng(0)
    first = np.concatenate(list(gd.minibatches(30, 30, rng)))
    second = np.concatenate(list(gd.minibatches(30, 30, rng)))
    assert not np.array_equal(first, second)


def test_unshuffled_batches_leave_the_generator_untouched():
    rng = np.random.default_rng(3)
    list(gd.minibatches(10, 3, rng, shuffle=False))
    assert rng.random() == np.random.default_rng(3).random()


def test_n_batches_rounds_up_unless_drop_last():
    # ⌈10/4⌉ = 3, ⌊10/4⌋ = 2; 8/4 = 2 either way
    assert gd.n_batches(10, 4) == 3
    assert gd.n_batches(10, 4, drop_last=True) == 2
    assert gd.n_batches(8, 4) == gd.n_batches(8, 4, drop_last=True) == 2
    assert gd.n_batches(5, 1) == 5
    assert gd.n_batches(5, 5) == 1


@pytest.mark.parametrize(
    ("n", "batch_size", "match"),
    [
        (5, 0, r"batch_size must be in \[1, 5\], got 0"),
        (5, 6, r"batch_size must be in \[1, 5\], got 6"),
        (5, -2, r"batch_size must be in \[1, 5\], got -2"),
        (0, 1, "n must be >= 1, got 0"),
    ],
)
def test_sizes_are_validated(n, batch_size, match):
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match=match):
        gd.minibatches(n, batch_size, rng)
    with pytest.raises(ValueError, match=match):
        gd.n_batches(n, batch_size)


@pytest.mark.parametrize(
    ("n", "batch_size", "match"),
    [
        (5.0, 1, "n must be an integer, got 5.0"),
        (5, 2.5, "batch_size must be an integer, got 2.5"),
        (5, True, "batch_size must be an integer, got True"),
    ],
)
def test_sizes_must_be_integers(n, batch_size, match):
    with pytest.raises(TypeError, match=match):
        gd.minibatches(n, batch_size, np.random.default_rng(0))
    with pytest.raises(TypeError, match=match):
        gd.n_batches(n, batch_size)


@pytest.mark.parametrize("rng", [0, None, np.random.RandomState(0)])
def test_rng_must_be_a_generator(rng):
    # Checked when minibatches is called, not when the first batch is taken.
    message = r"rng must be a numpy\.random\.Generator.*got " + re.escape(repr(rng))
    with pytest.raises(TypeError, match=message):
        gd.minibatches(5, 2, rng)


def test_rng_is_required_even_without_shuffling():
    with pytest.raises(
        TypeError, match=r"rng must be a numpy\.random\.Generator.*got 7"
    ):
        gd.minibatches(5, 2, 7, shuffle=False)


def test_flags_must_be_bools():
    # "no" is truthy: accepting it would shuffle when the caller meant not to.
    rng = np.random.default_rng(0)
    with pytest.raises(TypeError, match="shuffle must be a bool, got 'no'"):
        gd.minibatches(5, 2, rng, shuffle="no")
    with pytest.raises(TypeError, match="drop_last must be a bool, got 1"):
        gd.minibatches(5, 2, rng, drop_last=1)
    with pytest.raises(TypeError, match="drop_last must be a bool, got None"):
        gd.n_batches(5, 2, drop_last=None)

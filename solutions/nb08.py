"""Reference solutions for notebook 08, training in practice.

Each function here passes its checker in ``gdcore.exercises.nb08``
(tests/test_exercises_nb08.py makes sure of it).
"""


def momentum_limit(lr, beta):
    """On f = ½λθ², heavy ball is θ_{k+1} = (1 + β − ηλ)θ_k − βθ_{k−1}.

    Its roots solve z² − (1 + β − ηλ)z + β = 0 and have product β < 1; they leave
    the unit circle through z = −1, where 1 + (1 + β − ηλ) + β = 0, so the run
    converges exactly when 0 < ηλ < 2(1 + β).
    """
    return 2 * (1 + beta) / lr


def lora_count(n_in, n_out, r):
    """U has n_in·r entries and V has r·n_out."""
    return r * (n_in + n_out)


def lora_break_even(n_in, n_out):
    """r·(n_in + n_out) = n_in·n_out."""
    return n_in * n_out / (n_in + n_out)

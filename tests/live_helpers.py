"""Run explorer code under ipympl (``%matplotlib widget``), as in a notebook.

The backend must be chosen before pyplot starts, so the code runs in a
subprocess of its own, with every warning turned into an error.
"""

import subprocess
import sys

PRELUDE = """
import warnings
warnings.simplefilter("error")
import matplotlib
matplotlib.use("module://ipympl.backend_nbagg")
"""


def run_under_ipympl(script: str, timeout: float = 120) -> None:
    """Run ``script`` after :data:`PRELUDE`; fail with its stderr if it fails."""
    done = subprocess.run(
        [sys.executable, "-c", PRELUDE + script + '\nprint("ok")\n'],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"

"""Fits in parallel processes, each LightGBM single-threaded.

On these small datasets one thread per fit and one fit per core is faster than OpenMP threads
inside a fit, and it degrades gracefully when the machine is busy (OpenMP barriers do not).
Every fit is deterministic on its own, so results do not depend on the number of workers.
"""

from __future__ import annotations

from typing import Callable, Iterable

from joblib import Parallel, delayed


def run(function: Callable, argument_lists: Iterable[tuple], workers: int) -> list:
    """[function(*args) for args in argument_lists], in order, on `workers` processes."""
    argument_lists = list(argument_lists)
    if workers <= 1 or len(argument_lists) <= 1:
        return [function(*args) for args in argument_lists]
    return Parallel(n_jobs=workers, backend="loky")(delayed(function)(*args) for args in argument_lists)

"""Counter-based random numbers: splitmix64 over keys, vectorised with numpy.

Usage must be a pure function of (seed, vehicle, day): no generator state is kept
between requests. Each draw is the hash of its key and its counter, so any subset of
vehicle-days gives the same numbers as the whole.
"""

from __future__ import annotations

import numpy as np

__all__ = ["mix", "uniforms"]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MUL1 = np.uint64(0xBF58476D1CE4E5B9)
_MUL2 = np.uint64(0x94D049BB133111EB)
_UNIT = 2.0**-53


def _splitmix64(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser of ``x + golden`` (wrapping uint64 arithmetic)."""
    z = x + _GOLDEN
    z = (z ^ (z >> np.uint64(30))) * _MUL1
    z = (z ^ (z >> np.uint64(27))) * _MUL2
    return z ^ (z >> np.uint64(31))


def mix(*keys: int | np.ndarray) -> np.ndarray:
    """Hash integer keys, broadcast together, into one uint64 key per element.

    Parameters
    ----------
    *keys : int or array of int
        Non-negative integers (seed, vehicle id, day ordinal, stream number...).

    Returns
    -------
    numpy.ndarray of uint64
        The broadcast shape of ``keys`` (at least one dimension).
    """
    with np.errstate(over="ignore"):
        h = np.zeros(1, dtype=np.uint64)
        for key in keys:
            h = _splitmix64(h ^ np.asarray(key, dtype=np.int64).astype(np.uint64))
    return h


def uniforms(key: np.ndarray, n: int) -> np.ndarray:
    """``n`` independent uniforms in [0, 1) for each key.

    Parameters
    ----------
    key : numpy.ndarray of uint64
        Keys from :func:`mix`.
    n : int
        Draws per key.

    Returns
    -------
    numpy.ndarray of float64
        Shape ``key.shape + (n,)``.
    """
    counters = np.arange(1, n + 1, dtype=np.uint64) * _GOLDEN
    with np.errstate(over="ignore"):
        z = _splitmix64(key[..., None] + counters)
    return (z >> np.uint64(11)).astype(np.float64) * _UNIT

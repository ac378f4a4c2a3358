"""Compare texts that hold numbers made on another machine: the words exactly, the numbers loosely.

A file written here and one committed from another CPU may differ in the last printed digit of a
number (BLAS and vectorised maths differ in their last bits), and in nothing else that matters.
"""

from __future__ import annotations

import re

#: A printed number: optional sign (ASCII or the true minus), digits, decimals, exponent.
NUMBER = re.compile(r"[-\u2212]?(\d+)(?:\.(\d+))?(?:[eE][-+]?\d+)?")


def skeleton(text: str) -> tuple[str, list[tuple[str, int]]]:
    """The text with every number replaced by ``#``, and the numbers (as printed) with their decimals."""
    nums = [
        (m.group().replace("\u2212", "-"), len(m.group(2) or "")) for m in NUMBER.finditer(text)
    ]
    return NUMBER.sub("#", text), nums


def assert_same_up_to_last_digits(old: str, new: str, rtol: float = 1e-6, where: str = "") -> None:
    """Same words; each number within one unit of its last printed decimal, or ``rtol``."""
    (s_old, n_old), (s_new, n_new) = skeleton(old), skeleton(new)
    assert s_old == s_new, f"{where}: the texts differ beyond their numbers"
    for (a, d), (b, _) in zip(n_old, n_new, strict=True):
        if a == b:  # as printed (also digit strings too long for a float, such as hashes)
            continue
        x, y = float(a), float(b)
        bound = max(1.01 * 10.0**-d, rtol * abs(x))
        assert abs(x - y) <= bound, f"{where}: {a} against {b}"

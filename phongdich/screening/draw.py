"""The screening draw (T2): a pure, reproducible, stratified random sample.

The rule, in full:

1. **Inputs sorted.** Each candidate is ``(key, stratum)``: ``key`` a stable text key of the person (their
   uid), ``stratum`` a stable text key of their organisation (its uid). Candidates are de-duplicated by
   ``key`` — a person on the staff of two covered organisations belongs to the stratum whose key sorts
   first — then sorted by ``(stratum, key)``, so the order rows come from the database never matters.
2. **Sample size.** ``count`` (capped at the number of candidates) or ``fraction`` of them, rounded *up*
   (``ceil(fraction × N)``: screening 10 % of 15 people tests 2), computed on exact fractions.
3. **Allocation (proportional, largest remainder).** Stratum *h* with *N_h* people gets ``floor(n × N_h / N)``;
   the seats still missing go one each to the strata with the largest remainders, ties broken by the
   larger stratum and then by the smaller stratum key. No stratum gets more than it has.
4. **Drawing.** One ``random.Random(seed)``; strata in key order; in each, ``rng.sample`` of its sorted members.

The same candidates and seed always give the same sample; the seed of a round is
``round_seed(campaign_seed, number)`` and is stored on the round.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from math import ceil
from typing import Generic, TypeVar

S = TypeVar("S")


@dataclass(frozen=True, order=True)
class Candidate(Generic[S]):
    """One eligible person: sorted and compared by (stratum, key); ``ref`` carries the caller's object."""

    stratum: str
    key: str
    ref: S | None = field(default=None, compare=False)


def round_seed(campaign_seed: int, number: int) -> int:
    """The seed of round ``number``: the first 63 bits of SHA-256 of ``"<campaign seed>:<number>"``."""
    digest = hashlib.sha256(f"{campaign_seed}:{number}".encode()).digest()
    return int.from_bytes(digest[:8], "big") & (2**63 - 1)


def sample_size(population: int, *, count: int | None = None, fraction: Fraction | None = None) -> int:
    """How many to draw from ``population``: ``count`` capped, or ``ceil(fraction × population)``."""
    if population <= 0:
        return 0
    if count is not None:
        return max(0, min(int(count), population))
    if fraction is None:
        raise ValueError("count or fraction is required")
    f = Fraction(fraction)
    if f < 0 or f > 1:
        raise ValueError("fraction must lie in [0, 1]")
    return min(population, ceil(f * population))


def allocate(sizes: Mapping[str, int], total: int) -> dict[str, int]:
    """Proportional allocation of ``total`` seats over strata of ``sizes`` by largest remainder (rule 3)."""
    population = sum(sizes.values())
    if population == 0 or total <= 0:
        return dict.fromkeys(sizes, 0)
    total = min(total, population)
    quotas = {s: Fraction(total * n, population) for s, n in sizes.items()}
    seats = {s: int(q) for s, q in quotas.items()}  # floor (quotas are non-negative)
    missing = total - sum(seats.values())
    order = sorted(sizes, key=lambda s: (-(quotas[s] - seats[s]), -sizes[s], s))
    for s in order[:missing]:
        seats[s] += 1
    return seats


def prepare(candidates: Iterable[Candidate[S]]) -> list[Candidate[S]]:
    """Rule 1: one entry per person (the first stratum by key wins), sorted by (stratum, key)."""
    best: dict[str, Candidate[S]] = {}
    for c in candidates:
        current = best.get(c.key)
        if current is None or c.stratum < current.stratum:
            best[c.key] = c
    return sorted(best.values())


def draw(
    candidates: Iterable[Candidate[S]], *, seed: int, count: int | None = None, fraction: Fraction | None = None
) -> list[Candidate[S]]:
    """The stratified sample (rules 1–4), in (stratum, key) order."""
    pool = prepare(candidates)
    strata: dict[str, list[Candidate[S]]] = {}
    for c in pool:
        strata.setdefault(c.stratum, []).append(c)
    seats = allocate({s: len(m) for s, m in strata.items()}, sample_size(len(pool), count=count, fraction=fraction))
    rng = random.Random(seed)  # noqa: S311 — a reproducible sample, not a secret
    chosen: list[Candidate[S]] = []
    for stratum in sorted(strata):
        chosen.extend(sorted(rng.sample(strata[stratum], seats[stratum])))
    return chosen

"""Is this document the county's own? (材料归属核对) A county that uploads another county's school
table would replace its own figures with them, so a table is checked before it is stored.

Evidence, strongest first:
    1. school names that name a county ("泽普县第一小学"): most of those that name one name another;
    2. schools already registered to another county in the database, and none of this county's own
       (only for a county with schools on record: "第一小学" is a name many counties have);
    3. the document's first headings name another county and never this one (only when the table
       itself says nothing about its county).
Names come from the schedule (data): each county's full and short name and the bare name without
县/市/自治县, unless the bare name is part of the prefecture's name ("喀什" of 喀什市 is in 喀什地区).
Pure: names in, a `Mismatch` or None out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

SUFFIXES = ("自治县", "县", "市", "区", "旗")
HEADINGS = 5          # a document's title and the first lines under it


@dataclass(frozen=True)
class Mismatch:
    """The county the document seems to belong to, and why (one sentence each language)."""

    other: str
    zh: str
    en: str


def county_names(name: str, short: str | None, prefecture: str) -> tuple[str, ...]:
    """The ways a county's name is written: "泽普县", "泽普"; a bare name inside the prefecture's
    name is left out (it would match the prefecture's own schools)."""
    names = [n for n in (name, short) if n]
    for n in list(names):
        bare = next((n[: -len(s)] for s in SUFFIXES if n.endswith(s) and len(n) - len(s) >= 2), None)
        if bare and bare not in prefecture:
            names.append(bare)
    return tuple(dict.fromkeys(names))


def named_county(text: str, names: Mapping[str, Sequence[str]]) -> set[str]:
    """The counties `text` names (by any of their written forms)."""
    return {county for county, forms in names.items() if any(f in text for f in forms)}


def check_county(county: str, *, names: Mapping[str, Sequence[str]], schools: Sequence[str],
                 registered: Mapping[str, set[str]] | None = None, own_on_record: int = 0,
                 headings: Iterable[str] = ()) -> Mismatch | None:
    """A `Mismatch` when the evidence says the table is another county's; None when it is this
    county's or says nothing. `registered`: school name → the counties it is registered to;
    `own_on_record`: how many schools this county has on record."""
    if not schools:
        return None
    own, others = 0, Counter()
    for school in schools:
        named = named_county(school, names)
        if county in named:
            own += 1
        elif named:
            others.update(named)
    if others:
        other, count = others.most_common(1)[0]
        if count > own:
            return Mismatch(other, f"{len(schools)}所学校中有{count}所校名含“{other}”",
                            f"{count} of {len(schools)} school names name {other}")
    if own:
        return None
    if registered and own_on_record:
        owners = Counter(c for s in schools for c in registered.get(s, ()) if c != county)
        mine = sum(1 for s in schools if county in registered.get(s, ()))
        if owners and not mine:
            other, count = owners.most_common(1)[0]
            if 2 * count >= len(schools):
                return Mismatch(other, f"{len(schools)}所学校中有{count}所是{other}已登记的学校",
                                f"{count} of {len(schools)} schools are registered to {other}")
    for line in list(headings)[:HEADINGS]:
        named = named_county(line, names)
        if named and county not in named:
            other = sorted(named)[0]
            return Mismatch(other, f"标题“{line[:40]}”写的是{other}", f"the heading names {other}")
    return None

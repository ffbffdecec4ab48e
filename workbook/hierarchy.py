"""类/款/项 structure of code rows: which row adds up which."""
from __future__ import annotations


def parents(codes: list[str]) -> list[int | None]:
    """For each code, the index of its nearest ancestor present in the list (None: top level).

    A 项 whose 款 row is missing rolls up into its 类 row; one with neither goes to 总计.
    """
    where = first_rows(codes)
    return [parent_row(code, where) for code in codes]


def first_rows(codes: list[str]) -> dict[str, int]:
    """Each code's first index in the list."""
    where: dict[str, int] = {}
    for i, code in enumerate(codes):
        where.setdefault(code, i)
    return where


def parent_row(code: str, where: dict[str, int]) -> int | None:
    """The index of `code`'s nearest ancestor (its 款, else its 类) among `where` (first_rows)."""
    found = where.get(code[:5]) if len(code) > 5 else None
    if found is None and len(code) > 3:
        found = where.get(code[:3])
    return found


def leaves(codes: list[str]) -> list[bool]:
    """True for rows that no other row rolls up into: the accountant types their figures."""
    has_child = {p for p in parents(codes) if p is not None}
    return [i not in has_child for i in range(len(codes))]

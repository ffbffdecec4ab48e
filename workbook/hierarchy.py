"""类/款/项 structure of code rows: which row adds up which."""
from __future__ import annotations


def parents(codes: list[str]) -> list[int | None]:
    """For each code, the index of its nearest ancestor present in the list (None: top level).

    A 项 whose 款 row is missing rolls up into its 类 row; one with neither goes to 总计.
    """
    where = {}
    for i, code in enumerate(codes):
        where.setdefault(code, i)
    result: list[int | None] = []
    for code in codes:
        found = None
        for cut in (5, 3):
            if len(code) > cut and code[:cut] in where:
                found = where[code[:cut]]
                break
        result.append(found)
    return result


def leaves(codes: list[str]) -> list[bool]:
    """True for rows that no other row rolls up into: the accountant types their figures."""
    has_child = {p for p in parents(codes) if p is not None}
    return [i not in has_child for i in range(len(codes))]

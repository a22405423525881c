"""One line per performance target (non-negotiable 6): `target <name>: <value> (goal <op> <goal>) PASS|FAIL`."""

from __future__ import annotations


def target_line(name: str, value: float, goal: float, unit: str, *, at_most: bool = True, fmt: str = "{:.1f}") -> str:
    ok = value <= goal if at_most else value >= goal
    op = "<=" if at_most else ">="
    sep = "" if unit in ("", "×") else " "
    return f"target {name}: {fmt.format(value)}{sep}{unit} (goal {op} {fmt.format(goal)}{sep}{unit}) {'PASS' if ok else 'FAIL'}"

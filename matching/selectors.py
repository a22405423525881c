"""Reads of the matching app, always scoped through members.selectors (STYLE.md)."""

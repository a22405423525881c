"""Reads of the groups app, always scoped through members.selectors (STYLE.md)."""

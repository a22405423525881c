"""Reads of the checkins app, always scoped through members.selectors (STYLE.md)."""

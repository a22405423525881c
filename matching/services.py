"""Writes of the matching app: every state change goes through a function here (STYLE.md)."""

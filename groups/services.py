"""Writes of the groups app: every state change goes through a function here (STYLE.md)."""

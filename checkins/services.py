"""Writes of the checkins app: every state change goes through a function here (STYLE.md)."""

"""Digests: a channel's week (day, month) in recognition, on a schedule."""

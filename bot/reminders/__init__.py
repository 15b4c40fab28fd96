"""Objective reminders in channels and personal nudges by DM, sent by the clock."""

"""Objectives in Slack: the list, check-ins, and the reminders that ask for them."""

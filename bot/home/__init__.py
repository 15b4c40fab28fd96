"""The App Home tab: one place for a person's 7Geese in Slack and their settings."""

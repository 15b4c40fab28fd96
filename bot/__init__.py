"""geese-bot: 7Geese in Slack."""

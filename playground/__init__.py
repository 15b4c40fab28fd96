"""The playground: the bot with a sandbox 7Geese and a sandbox Slack, on loopback."""

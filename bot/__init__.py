"""geese-bot: 7Geese in Slack.

The entry points and the wiring sit here (cli, web, app, services, config, clock, jobs);
below them the features (recognition/, objectives/, oneonones/, todo/, feedback/,
reminders/, notify/, feed/, home/, help/), then the platform they stand on: slack/ (how
the bot talks to Slack), geese/ (how it talks to 7Geese), link/ (who is who between
the two), work/ (the worker tier's machinery) and ops/ (metrics, status, logs).
.importlinter holds the order.
"""

"""Your 7Geese notifications as Slack DMs, each with the action that fits: read for each
linked person by the worker tier, sent once (claimed by 7Geese's notification pk),
several together as one message, held through quiet hours and the pause."""

"""Every key the bot writes starts with one prefix, so a shared Redis stays tidy."""

PREFIX = "geese-bot"


def key(*parts: str) -> str:
    return ":".join((PREFIX, *parts))

"""`/geese help`: what the bot can do, in one message."""

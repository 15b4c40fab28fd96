"""The recognition feed: `/geese feed recognition` in a channel posts every public
recognition made anywhere in 7Geese (web, mobile, Slack) as it happens, read with the
token of the person who set it up."""

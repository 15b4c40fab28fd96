"""Recognition from Slack: parse what people type, find who is who, post to 7Geese
through an outbox that loses nothing."""

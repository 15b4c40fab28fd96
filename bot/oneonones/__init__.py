"""1-on-1s in Slack: upcoming meetings, talking points, and a nudge before each."""

"""How the bot talks to Slack, outside a Bolt request and inside one.

gateway     the Web API calls services make (with Slack's retry handlers), and what
            became of each (`Delivery`)
workspaces  which workspace, with which bot token (one, or one per installation)
ratelimit   each workspace's pace, shared by every process through Redis
ids         a 7Geese person's Slack user, found by email and remembered
limits      Slack's published limits, each with its source
blocks      the helpers every Block Kit builder uses: escaping, clipping, "and N more"
"""

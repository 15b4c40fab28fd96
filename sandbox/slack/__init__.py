"""A sandbox Slack: a Web API stand-in, a seeded workspace, and a driver that sends
signed requests to the app the way Slack does."""

from sandbox.slack.driver import SlackDriver
from sandbox.slack.server import create_app
from sandbox.slack.world import Posted, SlackWorld

__all__ = ["Posted", "SlackDriver", "SlackWorld", "create_app"]

"""Local stand-ins for 7Geese and Slack, for the playground, tests and benchmarks.

Nothing in bot/, handlers/ or storage/ imports this package.
"""

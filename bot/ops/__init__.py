"""What an operator sees: metrics (Prometheus), `geese-bot status`, and logs with no
secret in them."""

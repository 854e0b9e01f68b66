"""Staff accounts: passwords, log-in sessions, API tokens and lock-outs."""

"""Mail the app sends: every message goes into the outbox table first, then one attempt to send
it through the configured SMTP server is recorded. Without a server, mail stays queued."""

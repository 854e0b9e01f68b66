"""The web foundation every page relies on: security headers, CSRF, rate limits, error pages,
access logs and static files. Each part is a small module wired in app/main.py."""

"""The staff JSON API under /api/, for integrations with a staff token."""

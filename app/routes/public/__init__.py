"""The public portal's routes."""

"""The one error type the catalogue's import paths raise: one clear line for a person."""


class CatalogueError(Exception):
    """Bad input: the message names the file and the record that caused it."""

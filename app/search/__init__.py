"""Search over the catalogue: a Whoosh index derived from the database (the search issue)."""

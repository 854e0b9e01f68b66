"""Domain logic: the catalogue, HSDS in and out, the change log. Knows no HTTP."""

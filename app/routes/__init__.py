"""HTTP routes, one module per page area."""

"""Staff routes: log-in and log-out, and the pages under /personale/ (each router requires a
staff session for every route it has)."""

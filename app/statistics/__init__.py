"""The municipality's statistics: what citizens search for, counted without persons."""

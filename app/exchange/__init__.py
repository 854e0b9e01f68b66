"""Other ways in and out of the catalogue: the YAML catalogue folder and Danish spreadsheets."""

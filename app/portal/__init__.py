"""The citizens' portal: what the home, offer and search pages show, in the reader's language."""

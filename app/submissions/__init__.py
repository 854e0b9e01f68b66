"""What the public sends in and staff decide on: error reports (and, to come, new offers and
proposed changes), and the moderation queue."""

"""The staff wing: the dashboard over every offer, and (to come) the offer editor."""

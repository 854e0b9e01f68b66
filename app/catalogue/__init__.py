"""The catalogue core: taxonomy, who may see which offer, the change log, offer queries."""

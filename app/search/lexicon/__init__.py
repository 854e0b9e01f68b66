"""Danish word knowledge beside the analyser: which words that stemming and folding would meet
mean different things (senses.yaml, reviewed by people), found with the forms of the Danish
Hunspell dictionary (ambiguous.tsv.gz, derived data; see LICENSE)."""

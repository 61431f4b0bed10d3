"""The bottom layer: the vocabulary every other package shares (errors, niche file, records, URL model,
identity rules, dates). Imports nothing else of linkscout."""

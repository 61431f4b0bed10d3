"""linkscout: find collaborators and backlink opportunities on Medium.

Installed, the project is this one import package. The repository keeps the card's folders at the
top level (`core/`, `crawler/`, `store/`, `graph/`, `outreach/`, `cli/`, `fixtures/`) and
pyproject.toml maps each of them to a subpackage here: `crawler/` is `linkscout.crawler`, and so on.
ARCHITECTURE.md draws the layers.
"""

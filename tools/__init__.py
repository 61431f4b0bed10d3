"""Tooling that is not part of the installed product: the fixture-niche generator and the fault-injecting server."""

"""Benchmarks run by `postdesk bench NAME`; each prints one JSON object (see DESIGN.md)."""

"""The page toolkit every app's pages share: the base template and static files, form and
list helpers, page access by capability, URL converters. It imports core only, never an
app or the shell (tests/test_architecture.py)."""

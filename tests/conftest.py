"""Fixtures live in tests/fixtures/, one module per concern."""

pytest_plugins = [
    "tests.fixtures.app",
    "tests.fixtures.factories",
    "tests.fixtures.client",
]

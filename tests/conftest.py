"""Fixtures live in tests/fixtures/, one module per concern."""

pytest_plugins = [
    "tests.fixtures.app",
    "tests.fixtures.builders",
    "tests.fixtures.client",
    "tests.fixtures.mail",
]

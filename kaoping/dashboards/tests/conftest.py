"""The browser fixtures shared with the web app's browser tests."""

from kaoping.web.tests.test_browser import browser, shots  # noqa: F401

"""The browser fixtures shared with the web app's browser tests."""

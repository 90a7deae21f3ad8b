"""The dashboard in headless Chromium (see conftest.py)."""

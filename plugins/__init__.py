"""newsdesk's built-in plugins.

Each module (or package) here is a plugin registered through the ``newsdesk``
entry-point group in pyproject.toml, exactly as a third-party plugin is. No
plugin imports another: they meet only in the article record.
"""

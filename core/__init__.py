"""newsdesk: a folder of incoming news articles in, a stream of structured records out.

Plugin authors need only :data:`hookimpl` (the marker for hook implementations)
and the types in :mod:`newsdesk.article`.
"""

from __future__ import annotations

import pluggy

__all__ = ["PROJECT_NAME", "SCHEMA", "__version__", "hookimpl", "hookspec"]

__version__ = "0.1.0"

#: The pluggy project name, also the entry-point group plugins register under.
PROJECT_NAME = "newsdesk"

#: The version tag written into every record.
SCHEMA = "newsdesk/2"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)

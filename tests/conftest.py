"""Test-wide settings: a private native-code cache, so runs never touch the user's cache."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("RUFF_CACHE_DIR", tempfile.mkdtemp(prefix="ruff-test-cache-"))

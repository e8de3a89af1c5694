"""`python -m tests.fuzz`: a fuzzing campaign (see campaign.py)."""

import sys

from .campaign import main

sys.exit(main())

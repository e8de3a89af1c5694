import sys

from ruff.cli import main

sys.exit(main())

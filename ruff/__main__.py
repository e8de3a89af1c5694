"""`python -m ruff`: the `ruff` command. A Ctrl-C while the command itself is still being imported is
reported as any other ("interrupted", exit 130)."""

import sys


def _run() -> int:
    try:
        from ruff.cli import main
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return main()


sys.exit(_run())

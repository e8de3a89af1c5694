"""The exit codes of `ruff` and `ruff-opt` (README, "Using it"; docs/LANGUAGE.md): their one home."""

EXIT_OK = 0
EXIT_FAILURE = 1  # a test failed (`ruff test-run`)
EXIT_USAGE = 2  # a bad command line or environment variable
EXIT_SYNTAX = 3  # a lex or parse error (also in an imported module)
EXIT_RUNTIME = 4  # a runtime error, or a compile error such as `break` outside a loop
EXIT_IO = 5  # an unreadable program, a full disk or a closed stdout
EXIT_INTERNAL = 6  # a bug in Ruff itself: a Python exception escaped
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
EXIT_CLOSED_PIPE = 141  # the reader of stdout left early (128 + SIGPIPE), reported silently

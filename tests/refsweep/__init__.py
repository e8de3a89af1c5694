"""Run the reference implementation's own programs under this one and classify every result.

    python -m tests.refsweep PATH_TO_REFERENCE_CHECKOUT [--jobs N] [--timeout S] [--report FILE]
                             [--keep DIR] [--only SUBSTRING ...]

PATH is a checkout of `rufflang/ruff` (`git clone <its mirror> /tmp/refruff`); nothing of it is copied into
this repository. Every `*.ruff` file under its `tests/` and `examples/` runs with `ruff run` (`sweep.py`):
in a fresh temporary copy of the checkout (programs write files next to themselves and read `README.md` or
`Cargo.toml` from the working directory, which is the checkout's root as in the reference's own harness),
with a private `/tmp` where the machine allows one (many programs write fixed paths such as `/tmp/app.log`
and refuse to overwrite them on a second run, as the reference's `write_file` does), standard input closed
and a time limit. Where the reference keeps a golden `.out` next to the program, standard output is
compared with it as the reference's own harness compares (`scripts/generate_vm_runtime_mismatch_inventory.sh`:
trailing blanks of each line and final empty lines ignored); a golden file that captured an error
diagnostic instead of output (`[RUFVM001] [vm] Runtime Error: MESSAGE`) matches when the program prints
the output before it and then fails with that message.

Every program ends in one `Category`. Passing and the raw failures (output differs, fails, times out) are
what the run shows; the other categories are judgements (`judgements.py`, each with its reason, and with
what the run must show for the judgement to hold: the error the reference fails with too, or which lines
depend on the machine, the clock or the reference's random-number generator). A program that needs a
network or a server outside this machine is also recognised from its source (`detect.py`) when its run
fails the way such a program fails here (no route to the host; a server waiting for clients until the time
limit). A judged program that passes counts as passing, and the report lists the judgement as stale.

The summary table goes to stdout, the detailed report (every program, its category, exit code, first error
line or first differing line, and the reason) to `--report`. Exit status 1 while a failure that could be
ours remains, else 0.
"""

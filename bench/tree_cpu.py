"""Run a command and report the CPU of its whole process tree, Chromium's processes included.

    .venv/bin/python -m bench.tree_cpu .venv/bin/pytest -n 0 -m browser samen/core/tests/test_browser.py

The command runs under a child subreaper (Linux `prctl(PR_SET_CHILD_SUBREAPER)`): a process whose
parent exits without waiting for it (Playwright's driver, a browser's helpers) is handed to this one,
which waits for it, so its CPU is in the children's usage reported at the end. `/usr/bin/time` on the
same command counts only what the processes in between waited for themselves.
"""

from __future__ import annotations

import ctypes
import os
import resource
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def main(command: list[str]) -> int:
    if not command:
        sys.exit(__doc__)
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        sys.exit(f"prctl: {os.strerror(ctypes.get_errno())}")
    start = time.monotonic()
    child = os.fork()
    if child == 0:
        try:
            os.execvp(command[0], command)
        except OSError as error:  # the child must not go on as a second copy of this script
            print(f"{command[0]}: {error.strerror}", file=sys.stderr)
            os._exit(127)
    code = 0
    while True:  # until every process of the tree has ended, orphans included
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        if pid == child:
            code = os.waitstatus_to_exitcode(status)
            code = 128 - code if code < 0 else code  # killed by a signal: as a shell says it (143 for TERM)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"tree CPU: {usage.ru_utime:.1f} s user + {usage.ru_stime:.1f} s sys; "
        f"{time.monotonic() - start:.1f} s wall; exit {code}",
        file=sys.stderr,
    )
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

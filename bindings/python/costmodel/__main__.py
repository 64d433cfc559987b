# SPDX-License-Identifier: MIT
"""``python -m costmodel ...``: the calculator's commands, options and exit codes."""

import sys
from typing import List, Optional


def main(argv: Optional[List[str]] = None) -> int:
    """Runs the calculator with ``argv`` (default ``sys.argv[1:]``) and returns its exit code."""
    from ._costmodel import _main

    sys.stdout.flush()
    return int(_main(list(sys.argv[1:] if argv is None else argv)))


if __name__ == "__main__":
    sys.exit(main())

"""Entry point for `python -m boards` (see boards.cli)."""

import sys

from boards.cli import main

sys.exit(main())

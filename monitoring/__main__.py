"""``python -m monitoring``: see ``monitoring.cli``."""

import sys

from monitoring.cli import main

sys.exit(main())

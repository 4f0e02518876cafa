"""``python -m data_loaders``: see ``data_loaders.cli``."""

import sys

from data_loaders.cli import main

sys.exit(main())

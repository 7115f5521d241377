"""``python -m helpdesk``: the console."""

import sys

from helpdesk.cli import main

sys.exit(main())

"""``python -m helpdesk.portal``: the same as the ``helpdesk-portal`` command."""

import sys

from helpdesk.portal.cli import main

sys.exit(main())

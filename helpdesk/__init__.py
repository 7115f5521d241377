"""helpdesk: the phone-support console and the reference portal admin API it talks to.

The package is the headless core: nothing under ``helpdesk/`` imports Textual or ``screens``
except the console entry point (``helpdesk.cli``), which a test checks.
"""

__version__ = "0.1.0"

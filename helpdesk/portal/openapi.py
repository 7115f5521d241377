"""``python -m helpdesk.portal.openapi``: the API's OpenAPI document, as ``make openapi`` commits
it to docs/openapi.json (sorted keys, two-space indent, a final newline)."""

from __future__ import annotations

import json
import sys

from helpdesk.portal.app import create_app
from helpdesk.portal.settings import PortalSettings


def document() -> str:
    app = create_app(PortalSettings(database_url="sqlite://"))
    return json.dumps(app.openapi(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    sys.stdout.write(document())

from __future__ import annotations

from fastapi import APIRouter

from helpdesk import __version__
from helpdesk.api.models import Health
from helpdesk.portal.deps import SettingsDep

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
def healthz(settings: SettingsDep) -> Health:
    return Health(status="ok", environment=settings.environment, version=__version__)

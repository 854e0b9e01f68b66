"""For load balancers and container health checks."""

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.catalogue.offers import count_public_offers
from app.deps import SearchDep, SessionDep

router = APIRouter()


@router.get("/healthz", include_in_schema=False)
def check_health(session: SessionDep) -> dict[str, str]:
    """Liveness: the database answers."""
    count_public_offers(session=session)
    return {"status": "ok"}


@router.get("/readyz", include_in_schema=False)
def check_ready(search: SearchDep) -> JSONResponse:
    """Readiness: the search index is whole and current (503 while it is built or repaired;
    searches still answer then, from the database)."""
    ready, reason = search.readiness()
    body = {"status": "ready" if ready else "not ready", "reason": reason}
    return JSONResponse(body, status_code=200 if ready else 503)

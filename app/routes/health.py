"""For load balancers and container health checks."""

from fastapi import APIRouter

from app.catalogue.offers import count_public_offers
from app.deps import SessionDep

router = APIRouter()


@router.get("/healthz", include_in_schema=False)
def check_health(session: SessionDep) -> dict[str, str]:
    """The database answers."""
    count_public_offers(session=session)
    return {"status": "ok"}

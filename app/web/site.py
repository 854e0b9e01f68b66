"""The site's identity: its name, who runs it and how to reach them."""

from dataclasses import dataclass

import yaml

from app.config import Settings


@dataclass(frozen=True)
class SiteIdentity:
    """What the pages say about the site and its owner."""

    name: str
    municipality: str
    contact_email: str
    contact_phone: str


def site_identity(settings: Settings) -> SiteIdentity:
    """The identity from the settings; with the demo on, unset fields come from site.yaml."""
    demo: dict[str, str] = {}
    demo_file = settings.CATALOGUE_DIR / "site.yaml"
    if settings.DEMO and demo_file.exists():
        demo = yaml.safe_load(demo_file.read_text(encoding="utf-8")) or {}
    explicit = settings.model_fields_set
    return SiteIdentity(
        name=settings.SITE_NAME
        if "SITE_NAME" in explicit
        else demo.get("site_name", settings.SITE_NAME),
        municipality=settings.MUNICIPALITY or demo.get("municipality", ""),
        contact_email=settings.CONTACT_EMAIL or demo.get("contact_email", ""),
        contact_phone=settings.CONTACT_PHONE or demo.get("contact_phone", ""),
    )

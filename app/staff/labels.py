"""The editor's field names in the reader's language (form labels and history lines)."""

from app.i18n import UILocale


def field_labels(locale: UILocale) -> dict[str, str]:
    _ = locale.gettext
    return {
        "name": _("Name"),
        "alternate_name": _("Other name"),
        "languages": _("Languages"),
        "place_name": _("Name of the place"),
        "org_website": _("The organisation's website"),
        "org_email": _("The organisation's e-mail"),
        "organization": _("Organisation"),
        "description": _("Description"),
        "how": _("How to get started"),
        "fees": _("Price"),
        "legal": _("Legal basis"),
        "min_age": _("Lowest age"),
        "max_age": _("Highest age"),
        "phones": _("Phone numbers"),
        "email": _("E-mail"),
        "url": _("Website"),
        "schedules": _("When"),
        "address": _("Address"),
        "postcode": _("Postcode"),
        "town": _("Town"),
        "latitude": _("Latitude"),
        "longitude": _("Longitude"),
        "assured": _("Last confirmed"),
        "tema": _("Themes"),
        "maalgruppe": _("Target groups"),
        "kanal": _("How it is offered"),
        "adgang": _("Access"),
        "tilgaengelighed": _("Access for people with disabilities"),
        "referral_procedure": _("How to refer someone"),
        "professional_contact": _("Contact for professionals"),
        "internal_note": _("Internal note"),
        "state": _("State"),
    }

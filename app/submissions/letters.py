"""The mails submitters get, in the language the staff member's page is in (the submitter's
own language is not known; Danish is the site's)."""

from app.i18n import UILocale
from app.models import SubmissionKind


def decision_mail(
    locale: UILocale, site: str, kind: SubmissionKind, *, approve: bool, reason: str
) -> tuple[str, str] | None:
    """Subject and body of the answer to a decided item, or None when there is nothing to say."""
    _ = locale.gettext
    regards = _("Best regards, %(site)s", site=site)
    if kind == SubmissionKind.ERROR_REPORT:
        if not reason:
            return None
        subject = _("Answer from %(site)s about your report", site=site)
        lines = [_("Thank you for telling us that something was wrong."), reason, regards]
    elif approve:
        subject = _("Your offer is now on %(site)s", site=site)
        lines = [_("Your offer has been approved and can now be found."), reason, regards]
    else:
        subject = _("Your offer was not published on %(site)s", site=site)
        lines = [_("We could not publish your offer. This is why:"), reason or "–", regards]
    return subject, "\n\n".join(line for line in lines if line)


def edit_link_mail(locale: UILocale, site: str, name: str, link: str) -> tuple[str, str]:
    _ = locale.gettext
    subject = _("Your offer %(name)s was sent to %(site)s", name=name, site=site)
    body = "\n\n".join(
        [
            _("Thank you. Staff will check your offer before it can be found."),
            _("Your private link to see, correct or renew the offer later:"),
            link,
            _("Keep the link to yourself: anyone with it can change the offer."),
            _("Best regards, %(site)s", site=site),
        ]
    )
    return subject, body

"""Background work of billing: a sent quote is mailed with its PDF; sent quotes past their
validity date expire; each morning the invoices gone overdue are announced."""

import datetime

from django.core.mail import EmailMessage
from django_tasks import task

from postdesk.billing import services
from postdesk.billing.documents import quote_pdf
from postdesk.billing.models import Quote
from postdesk.core import audit, facility, jobs, mailing
from postdesk.core.money_display import format_money


@task()
def mail_quote(quote_id: int, to: str, attempt: int = 1) -> str:
    """Mail the quote to `to` (the address its sending recorded), with its PDF rendered now
    from the committed quote. Enqueued by services.send_quote once the sending commits."""
    quote = Quote.objects.select_related("job__contact", "job__client").filter(pk=quote_id).first()
    if quote is None:
        return f"quote {quote_id}: nothing to mail"
    return mailing.deliver(
        lambda: quote_message(quote, to),
        about=quote,
        what=f"quote {quote.reference}",
        task=mail_quote,
        task_args=(quote_id, to),
        attempt=attempt,
    )


def quote_message(quote: Quote, to: str) -> EmailMessage:
    facility_name = facility.current().name
    total = format_money(quote.gross, quote.currency)
    contact = quote.job.contact
    greeting = f"Dear {contact.name}" if contact is not None else "Hello"
    message = EmailMessage(
        subject=f"Quote {quote.reference} from {facility_name}",
        body=(
            f"{greeting},\n\nPlease find attached our quote "
            f"{quote.reference} for {quote.job.description}: {total} "
            f"including VAT, valid until {quote.valid_until:%d %B %Y}.\n\n{facility_name}\n"
        ),
        to=[to],
    )
    message.attach(
        f"quote-{quote.job.number}-v{quote.version}.pdf", quote_pdf(quote), "application/pdf"
    )
    return message


def expire_quotes_now() -> int:
    return services.expire_quotes(actor=audit.WORKER)


# Before the accounts office opens, so the day starts with the list.
OVERDUE_AT = datetime.time(7, 30)
OVERDUE_TASK = "postdesk.billing.tasks.announce_overdue"


@task()
def announce_overdue() -> str:
    """Daily: tell whom it concerns of the invoices past due (each once), then queue
    tomorrow's run."""
    count = services.announce_overdue_invoices(actor=audit.WORKER)
    jobs.enqueue_daily(OVERDUE_TASK, OVERDUE_AT)
    return f"{count} overdue invoice(s) announced"


def announce_overdue_now() -> str:
    """Start-up sweep: the morning's announcement missed while no worker ran, and the
    daily chain started again if its queued run was lost."""
    count = services.announce_overdue_invoices(actor=audit.WORKER)
    jobs.enqueue_daily(OVERDUE_TASK, OVERDUE_AT)
    return f"{count} overdue invoice(s) announced"

"""Public pages (no login): the thank-you list with public needs, certificate verification, and a donor's
private trace page reached through a signed link (the token is the only key; it names one donation)."""

from django.core import signing
from django.http import Http404
from django.shortcuts import render

from supplies import selectors
from supplies.models import Certificate, Donation

TRACE_SALT = "supplies.donor-trace"


def trace_token(donation):
    return signing.dumps(donation.pk, salt=TRACE_SALT)


def donation_for_token(token):
    try:
        pk = signing.loads(token, salt=TRACE_SALT)
    except signing.BadSignature:
        raise Http404 from None
    donation = Donation.objects.select_related("donor", "received_by").filter(pk=pk).first()
    if donation is None or donation.status == Donation.Status.CANCELLED:
        raise Http404
    return donation


def thanks(request):
    donations, anonymous = selectors.thanks_list()
    needs = selectors.attach_progress(selectors.public_needs()[:30])
    return render(request, "supplies/public_thanks.html",
                  {"donations": donations, "anonymous": anonymous, "needs": needs})


def verify(request):
    code = request.GET.get("code", "").strip().upper()
    cert = Certificate.objects.select_related("donation__received_by").filter(code=code).first() if code else None
    return render(request, "supplies/public_verify.html", {"code": code, "cert": cert, "searched": bool(code)})


def donor_trace(request, token):
    donation = donation_for_token(token)
    return render(request, "supplies/public_trace.html", {
        "donation": donation, "token": token, "lines": donation.lines.select_related("item"),
        "splits": donation.splits.select_related("recipient_unit"), "trace": selectors.donation_trace(donation),
        "certificate": Certificate.objects.filter(donation=donation, revoked_at__isnull=True).first()})


def donor_certificate(request, token):
    from supplies.views import certificate_response

    donation = donation_for_token(token)
    cert = Certificate.objects.filter(donation=donation, revoked_at__isnull=True).first()
    if cert is None:
        raise Http404
    return certificate_response(request, cert)

"""Signed tokens for the no-login pages: a gate's self-registration QR and a quarantined resident's link.

A token names one object and nothing else; the case token also carries the case's link_version so a
leaked link is revoked by bumping it.
"""

import io

import segno
from django.core import signing
from django.http import Http404

GATE_SALT = "community.gate"
CASE_SALT = "community.case"


def gate_token(gate):
    return signing.dumps({"g": gate.pk}, salt=GATE_SALT, compress=True)


def gate_from_token(token):
    from community import caches

    try:
        data = signing.loads(token, salt=GATE_SALT)
        gate = caches.gate(data["g"])
    except (signing.BadSignature, KeyError, TypeError):
        raise Http404 from None
    if gate is None or not gate.active:
        raise Http404
    return gate


def case_token(case):
    return signing.dumps({"c": case.pk, "v": case.link_version}, salt=CASE_SALT, compress=True)


def case_from_token(token):
    from community.models import QuarantineCase

    try:
        data = signing.loads(token, salt=CASE_SALT)
        return QuarantineCase.objects.select_related("resident__household__compound", "community").get(
            pk=data["c"], link_version=data["v"])
    except (signing.BadSignature, KeyError, TypeError, QuarantineCase.DoesNotExist):
        raise Http404 from None


def qr_svg(text, scale=6):
    """An inline SVG QR code (segno: pure Python, no image library needed)."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", scale=scale, xmldecl=False, svgns=True, border=2, omitsize=True)
    return out.getvalue().decode()

from supplies import services
from supplies.certificates import extract_text, render_pdf
from supplies.models import Donor
from supplies.tests.factories import donor, give, keeper


def test_certificate_pdf_carries_the_donors_name_and_items_as_real_chinese_text(org):
    actor = keeper(org.chenqiao)
    wu = donor("吴正平", kind=Donor.Kind.PERSON, title=Donor.Title.NPC, consent_public=True)
    gift = give(actor, org.chenqiao, {"额温枪": 11, "一次性医用口罩": 1000}, donor_obj=wu)
    cert = services.issue_certificate(actor, gift)
    pdf = render_pdf(cert, f"http://testserver/supplies/verify/?code={cert.code}")
    assert pdf.startswith(b"%PDF") and b"STSong-Light" in pdf
    text = extract_text(pdf)
    assert "荣 誉 证 书" in text
    assert "吴正平" in text
    flat = text.replace("\n", "")
    assert "额温枪11把" in flat and "一次性医用口罩1000个" in flat
    assert cert.code in text


def test_certificate_needs_a_received_donation_and_is_issued_once(org):
    actor = keeper(org.chenqiao)
    pledge = give(actor, org.chenqiao, {"额温枪": 1}, received=False)
    import pytest
    with pytest.raises(services.InvalidTransition):
        services.issue_certificate(actor, pledge)
    services.receive_donation(actor, pledge)
    assert services.issue_certificate(actor, pledge).pk == services.issue_certificate(actor, pledge).pk


def test_revoked_certificate_is_shown_as_void_on_the_public_page(client, org):
    from django.urls import reverse

    actor = keeper(org.chenqiao)
    gift = give(actor, org.chenqiao, {"额温枪": 2})
    cert = services.issue_certificate(actor, gift)
    client.force_login(actor)
    client.post(reverse("supplies:donation_action", args=[gift.code, "revoke"]))
    client.logout()
    page = client.get(reverse("supplies:verify") + f"?code={cert.code.lower()}").content.decode()
    assert "已作废" in page and "证书真实有效" not in page

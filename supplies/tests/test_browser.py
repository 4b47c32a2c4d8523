import re

import pytest

from conftest import login, make_user
from supplies.certificates import extract_text
from supplies.models import Allocation, Certificate, Donation, Need
from supplies.tests.factories import item


@pytest.mark.browser
def test_plea_donation_receipt_allocation_certificate(page, org):
    make_user("cq_supply", org.chenqiao, "supply_keeper", "王建宾")
    make_user("ld_worker", org.lidu, "community_worker", "丽都社工")
    masks = item("一次性医用口罩")

    # 丽都社区 posts a plea for masks.
    login(page, "ld_worker")
    page.goto(page.base_url + "/supplies/needs/new/")
    page.select_option("#id_unit", str(org.lidu.pk))
    page.fill("#id_title", "丽都社区卡口口罩")
    page.select_option("#id_lines-0-item", str(masks.pk))
    page.fill("#id_lines-0-quantity", "300")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/supplies/needs/QZ"))
    need = Need.objects.get(title="丽都社区卡口口罩")
    page.context.clear_cookies()

    # 陈桥街道's supply keeper records 吴正平's 1,000 masks against it; they go straight into stock.
    login(page, "cq_supply")
    page.goto(page.base_url + "/supplies/donations/new/")
    page.select_option("#id_kind", "person")
    page.fill("#id_name", "吴正平")
    page.select_option("#id_title", "npc")
    page.fill("#id_title_detail", "南通市人大代表")
    page.check("#id_consent_public")
    page.select_option("#id_received_by", str(org.chenqiao.pk))
    page.check(f"input[name=needs][value='{need.pk}']")
    page.select_option("#id_lines-0-item", str(masks.pk))
    page.fill("#id_lines-0-quantity", "1000")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/supplies/donations/JZ"))
    assert "已接收" in page.text_content("h1")
    donation = Donation.objects.get(donor__name="吴正平")

    # It allocates 300 to 丽都社区 from the need's page (form prefilled from the need).
    page.goto(page.base_url + f"/supplies/needs/{need.code}/")
    page.click("text=从库存调拨")
    assert page.input_value("#id_lines-0-quantity") == "300"
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r"/supplies/allocations/DB"))
    assert "在途" in page.text_content("h1")
    allocation = Allocation.objects.get()
    page.context.clear_cookies()

    # 丽都社区 confirms receipt; the plea is met.
    login(page, "ld_worker")
    page.goto(page.base_url + f"/supplies/allocations/{allocation.code}/")
    page.click("text=确认签收")
    page.wait_for_selector("text=已签收")
    page.goto(page.base_url + "/supplies/")
    assert "已满足" in page.text_content(".need-card")
    page.goto(page.base_url + f"/supplies/stock/{org.lidu.code}/")
    assert "300" in page.text_content(".grid")
    page.context.clear_cookies()

    # The street issues the honour certificate; the PDF names the donor; the public page verifies it.
    login(page, "cq_supply")
    page.goto(page.base_url + f"/supplies/donations/{donation.code}/")
    page.click("text=颁发荣誉证书")
    page.wait_for_selector("text=下载荣誉证书(PDF)")
    cert = Certificate.objects.get()
    pdf = page.request.get(page.base_url + f"/supplies/certificates/{cert.code}.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    text = extract_text(pdf.body())
    assert "吴正平" in text and "一次性医用口罩1000个" in text.replace("\n", "")
    page.context.clear_cookies()
    page.goto(page.base_url + f"/supplies/verify/?code={cert.code}")
    assert "证书真实有效" in page.text_content("[data-testid=verified]")

"""Demo data from the story (seed/gangzha-story.txt), written through services so it is what users would make."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction

from places.models import OrgUnit
from supplies import services
from supplies.models import Donor, Item, MinimumStock, Need, StockMove
from supplies.validators import credit_code_check_char

TZ = ZoneInfo("Asia/Shanghai")
PLEA_TITLE = "陈桥街道疫情防控一线防护物资紧缺求助"


def _at(month, day, hour=10, minute=0):
    return datetime(2020, month, day, hour, minute, tzinfo=TZ)


def _code(first17):
    """Demo organisations get well-formed (check character correct) but invented credit codes."""
    return first17 + credit_code_check_char(first17)


def _item(name, unit):
    return Item.objects.get(name=name, unit=unit)


@transaction.atomic
def load(stdout=None):
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["admin", "cq_supply", "ld_worker", "hq_worker", "gy_worker", "cdc_keeper"])}
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=[
        "320611", "320611005", "320611005002", "320611006011", "320611002001", "320611D03", "320611D08"])}
    chenqiao, lidu, district = units["320611005"], units["320611005002"], units["320611"]
    if Need.objects.filter(unit=chenqiao, title=PLEA_TITLE).exists():
        if stdout:
            stdout.write("supplies: demo already loaded")
        return
    masks, thermometers = _item("一次性医用口罩", "个"), _item("额温枪", "把")
    alcohol, bleach_bucket = _item("医用消毒酒精", "桶"), _item("84消毒液", "桶")
    for unit, item, minimum in [(chenqiao, masks, 500), (chenqiao, thermometers, 5), (lidu, masks, 200),
                                (units["320611D03"], _item("医用防护服", "件"), 300)]:
        MinimumStock.objects.get_or_create(unit=unit, item=item, defaults={"quantity": minimum})

    # 2月4日晚 王建宾 posts the plea in the chat group; here it is a public need.
    plea = services.post_need(
        users["cq_supply"], chenqiao, PLEA_TITLE, [(masks, 5000), (thermometers, 20), (alcohol, 10)],
        urgency=Need.Urgency.CRITICAL, deadline=_at(2, 10).date(), visibility=Need.Visibility.PUBLIC,
        contact="王建宾(物资保障组副指挥长)", now=_at(2, 4, 21, 30),
        description="一线卡口和社区排查人员口罩、测温枪严重短缺,恳请社会各界爱心援助。")

    # 2月2日 桥鸿公司 brings two boxes of tissues for the lifts at 花桥社区.
    qiaohong = services.find_or_create_donor(Donor.Kind.ORGANISATION, "南通桥鸿建设工程有限公司",
                                             credit_code=_code("91320611MA1N5KQW0"), consent_public=True)
    services.record_donation(users["hq_worker"], qiaohong, units["320611006011"],
                             lines=[(_item("纸巾", "箱"), 2, None)], now=_at(2, 2, 9),
                             note="放在电梯里供居民使用")
    # 2月3日 雨松 gives 1,200 protective suits worth 35,400 yuan to the district CDC.
    yusong = services.find_or_create_donor(Donor.Kind.ORGANISATION, "江苏雨松环境修复研究中心有限公司",
                                           credit_code=_code("91320600MA1P2H4E1"), consent_public=True)
    suits = services.record_donation(users["cdc_keeper"], yusong, units["320611D03"],
                                     lines=[(_item("医用防护服", "件"), 1200, Decimal("35400"))], now=_at(2, 3, 15))
    # 2月4日 公园社区's volunteer group: 1040斤 of 84 disinfectant, handed to the 幸福物业 property manager.
    gongyuan = services.find_or_create_donor(Donor.Kind.ORGANISATION, "公园社区社会爱心公益组织",
                                             contact_name="朱先生", consent_public=True)
    services.record_donation(users["gy_worker"], gongyuan, units["320611002001"],
                             lines=[(_item("84消毒液", "斤"), 1040, None)], now=_at(2, 4, 10))
    services.consume(users["gy_worker"], units["320611002001"], _item("84消毒液", "斤"), 1040,
                     kind=StockMove.Kind.DISTRIBUTION, note="转交幸福物业管理有限公司用于电梯、楼道消毒",
                     now=_at(2, 4, 11))
    # 2月5日 范志伟 (政协委员) hands a 150,000-yuan cheque to the district trade union: 80,000 for Nantong's
    # medical teams in Wuhan, 70,000 for front-line protective equipment bought by the union.
    tongcheng = services.find_or_create_donor(Donor.Kind.ORGANISATION, "通城电建公司", contact_name="范志伟",
                                              title=Donor.Title.CPPCC, title_detail="总经理范志伟为港闸区政协委员",
                                              consent_public=True)
    services.record_donation(users["admin"], tongcheng, district, amount=Decimal("150000"), now=_at(2, 5, 10), splits=[
        services.Split("定向支援南通援鄂(武汉)医护人员", Decimal("80000"), recipient_name="南通支援武汉医疗队"),
        services.Split("港闸区一线医护人员防护设备、慰问物资采购", Decimal("70000"), recipient_unit=units["320611D08"]),
    ])
    # 2月5日 郑轩琦 (琦飞环保) gives 5 buckets of medical alcohol to 陈桥街道, answering the plea.
    qifei = services.find_or_create_donor(Donor.Kind.ORGANISATION, "南通琦飞环保科技有限公司", contact_name="郑轩琦",
                                          credit_code=_code("91320611MA20B8TY2"), consent_public=True)
    services.record_donation(users["cq_supply"], qifei, chenqiao, lines=[(alcohol, 5, None)], needs=[plea],
                             now=_at(2, 5, 14))
    # 2月6日 吴正平 (南通市人大代表) sends a parcel 200 km from Nanjing: 11 thermometers and 1,000 masks.
    wu = services.find_or_create_donor(Donor.Kind.PERSON, "吴正平", title=Donor.Title.NPC,
                                       title_detail="南通市人大代表、江苏博恩医疗科技有限公司负责人",
                                       phone="13951300606", consent_public=True)
    parcel = services.record_donation(users["cq_supply"], wu, chenqiao,
                                      lines=[(thermometers, 11, None), (masks, 1000, None)], needs=[plea],
                                      now=_at(2, 6, 16), note="从南京寄出,穿越200多公里的爱心包裹")
    # 2月6日 文峰超市 gives 6 buckets of 84 disinfectant to 丽都社区.
    wenfeng = services.find_or_create_donor(Donor.Kind.ORGANISATION, "文峰超市", consent_public=True)
    services.record_donation(users["ld_worker"], wenfeng, lidu, lines=[(bleach_bucket, 6, None)], now=_at(2, 6, 10))

    # 丽都社区 asks its street for masks and thermometers; 陈桥街道 allocates from 吴正平's parcel; 丽都 signs.
    lidu_need = services.post_need(users["ld_worker"], lidu, "丽都社区卡口值守口罩、额温枪", [(masks, 300), (thermometers, 3)],
                                   urgency=Need.Urgency.URGENT, now=_at(2, 6, 18))
    allocation = services.allocate(users["cq_supply"], chenqiao, lidu, [(masks, 300), (thermometers, 3)],
                                   need=lidu_need, note="吴正平捐赠物资转拨", now=_at(2, 7, 9))
    services.confirm_allocation(users["ld_worker"], allocation, now=_at(2, 7, 11))
    services.consume(users["ld_worker"], lidu, masks, 120, kind=StockMove.Kind.DISTRIBUTION,
                     note="发放给卡口值守人员和志愿者", now=_at(2, 7, 15))

    for donation in (parcel, suits):
        services.issue_certificate(users["cq_supply"] if donation is parcel else users["cdc_keeper"], donation,
                                   now=_at(2, 8, 10))
    for donation in Donor.objects.get(pk=tongcheng.pk).donations.all():
        services.issue_certificate(users["admin"], donation, now=_at(2, 8, 10))
    if stdout:
        stdout.write("supplies: story needs, 8 donations, allocation 陈桥街道 → 丽都社区, certificates")

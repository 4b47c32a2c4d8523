"""Demo data: February 2020 in 港闸区, from the story — every order made through the services,
each move by the demo user whose job it is, at the time it happened. Idempotent (external ids DEMO-*)."""

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from hotline import services
from hotline.models import Category, EmergencyResponse, KnowledgeEntry, WorkOrder
from places.models import OrgUnit

KNOWLEDGE = [
    ("从武汉或湖北其他地区返回港闸,需要隔离吗?", "自湖北返回人员须主动向所在社区报告,居家隔离医学观察14天,每日两次测量体温并报告社区。",
     "南通市新型冠状病毒感染的肺炎疫情防控指挥部通告(第3号)", "湖北,武汉,返回,隔离,返乡", date(2020, 1, 27)),
    ("企业什么时候可以复工?", "除保障城市运行、疫情防控、民生必需等企业外,省内企业复工不早于2月9日24时,复工前须向属地报备并落实防控措施。",
     "江苏省政府办公厅关于延迟企业复工的通知", "复工,企业,上班,返岗", date(2020, 1, 28)),
    ("小区实行封闭管理,外卖快递还能进吗?", "外卖、快递一律不进小区,在门岗指定地点无接触放置,居民自取。本地牌照车辆进入同样需要登记。",
     "港闸区疫情防控指挥部关于小区封闭管理的通知", "外卖,快递,小区,封闭,登记", date(2020, 2, 4)),
    ("发现药店哄抬口罩价格怎么办?", "可拨打12345或12315举报,市场监管部门将依法从严查处哄抬价格、囤积居奇、销售假冒伪劣防护用品行为。",
     "市场监管总局关于依法从严从快查处哄抬防疫用品价格的通知", "口罩,价格,药店,哄抬,举报", date(2020, 1, 25)),
    ("发热了应该去哪里就诊?", "请佩戴口罩前往发热门诊就诊,避免乘坐公共交通。港闸区发热门诊:南通市第三人民医院。",
     "南通市卫健委发热门诊名单", "发热,就医,门诊,医院", date(2020, 1, 26)),
    ("鄂籍车辆能进入南通吗?", "鄂籍车辆及人员经道路检查站体温检测、登记核查后,按规定落实集中或居家隔离,无固定居所的由属地安排集中观察点。",
     "南通市疫情防控指挥部交通管控通告", "鄂籍,车辆,湖北,检查站,道口", date(2020, 1, 30)),
]

# Each order: external id, intake fields, then the moves: (action, username, local time, kwargs).
# Unit names in kwargs are resolved to OrgUnits; "KB:n" to the n-th knowledge entry.
ORDERS = [
    ("DEMO-01", dict(content="陈桥街道多家药房买不到医用口罩,个别药店一只口罩卖到10元,哄抬价格。", order_type="complaint",
                     category="EP-PRICE", caller_name="顾女士", caller_phone="13962811203", address="陈桥街道"),
     "2020-01-29 10:20", [
         ("dispatch", "dispatcher", "2020-01-29 10:35", {"lead_unit": "区市场监督管理局", "co_units": ["陈桥街道"]}),
         ("accept", "scjg_liaison", "2020-01-29 10:50", {}),
         ("supervise", "supervisor", "2020-01-29 14:00", {"note": "群众反映集中,列入督办"}),
         ("reply", "scjg_liaison", "2020-01-29 18:30", {"text": "经查,两家药店存在哄抬价格行为,已立案查处并责令按进价销售;街道协调防疫物资投放,每日定点平价供应。"}),
         ("signoff", "scjg_head", "2020-01-29 19:10", {}),
         ("approve", "dispatcher", "2020-01-29 19:30", {}),
         ("callback", "operator", "2020-01-30 09:15", {"result": "satisfied", "note": "来电人表示已能买到平价口罩"}),
     ]),
    ("DEMO-02", dict(content="永和佳苑3幢有人刚从武汉回来,没有居家隔离,天天下楼走动。", order_type="report",
                     category="EP-PERSON", caller_name="匿名", caller_phone="13805130876", anonymous=True,
                     address="永和佳苑3幢"),
     "2020-02-07 09:10", [
         ("dispatch", "dispatcher", "2020-02-07 09:20", {"lead_unit": "永兴街道"}),
         ("accept", "yx_liaison", "2020-02-07 09:40", {}),
         ("subdispatch", "yx_liaison", "2020-02-07 09:45", {"community": "永和社区", "note": "立即上门核实"}),
         ("reply", "yh_worker", "2020-02-07 11:30", {"text": "社区工作人员与民警上门核实,该户2月5日自武汉返回,已落实居家隔离14天,门口张贴告知书,每日两次测量体温。"}),
     ]),
    ("DEMO-03", dict(content="一辆鄂A牌照小车滞留在幸福道口检查站附近,车上一家三口无处可去。", order_type="help",
                     category="EP-VEHICLE", caller_name="李先生", caller_phone="15190821134", address="幸福道口检查站"),
     "2020-02-05 21:30", [
         ("dispatch", "dispatcher", "2020-02-05 21:40", {"lead_unit": "幸福街道"}),
         ("accept", "xf_liaison", "2020-02-05 22:05", {}),
     ]),
    ("DEMO-04", dict(content="花桥新村一户居家隔离人员晚上把体温计打碎了,需要一支新的体温计。", order_type="help",
                     category="EP-QUARANTINE", caller_name="吴女士", caller_phone="13773631259", address="花桥新村"),
     "2020-02-06 22:40", [
         ("dispatch", "dispatcher", "2020-02-06 22:45", {"lead_unit": "幸福街道"}),
         ("accept", "xf_liaison", "2020-02-06 22:50", {}),
         ("subdispatch", "xf_liaison", "2020-02-06 22:52", {"community": "花桥社区"}),
         ("reply", "hq_worker", "2020-02-06 23:30", {"text": "社区值班人员已于23时20分将额温枪送到隔离户门口,并指导使用。"}),
         ("signoff", "xf_head", "2020-02-07 08:30", {}),
     ]),
    ("DEMO-05", dict(content="我在外地过年,单位要求2月3日返岗,回来后需要隔离吗?", order_type="consult",
                     category="EP-POLICY", caller_name="周先生", caller_phone="18906283310"),
     "2020-02-01 15:00", [
         ("answer", "operator", "2020-02-01 15:04", {"text": "KB:1", "knowledge": "KB:1"}),
         ("callback", "operator", "2020-02-02 10:00", {"result": "basic"}),
     ]),
    ("DEMO-06", dict(content="小区封闭了,外卖还能送进来吗?", order_type="consult", category="EP-POLICY",
                     caller_name="陈女士", caller_phone="13862950078"),
     "2020-02-07 10:15", [
         ("answer", "operator", "2020-02-07 10:18", {"text": "KB:2", "knowledge": "KB:2"}),
     ]),
    ("DEMO-07", dict(content="幸福街道一家服装厂今天已经开工,几十个工人聚在车间,没有按规定延迟复工。", order_type="report",
                     category="EP-WORK", caller_name="匿名", caller_phone="13773600451", anonymous=True,
                     address="幸福街道工业集中区"),
     "2020-02-07 11:05", [
         ("dispatch", "dispatcher", "2020-02-07 11:10", {"lead_unit": "幸福街道", "co_units": ["区市场监督管理局"]}),
     ]),
    ("DEMO-08", dict(content="永和佳苑一户隔离家庭家里没有菜了,老人不会网购。", order_type="help", category="EP-LIVING",
                     caller_name="赵女士", caller_phone="13914322765", address="永和佳苑5幢"),
     "2020-02-07 08:20", [
         ("dispatch", "dispatcher", "2020-02-07 08:25", {"lead_unit": "幸福街道"}),
         ("return", "xf_liaison", "2020-02-07 08:40", {"reason": "永和佳苑属永兴街道永和社区,请改派。"}),
     ]),
    ("DEMO-09", dict(content="丽都花园门口麻将馆还在营业,很多人聚集。", order_type="report", category="EP-GATHER",
                     caller_name="钱先生", caller_phone="13151206639", address="丽都花园"),
     "2020-02-06 14:00", [
         ("dispatch", "dispatcher", "2020-02-06 14:05", {"lead_unit": "陈桥街道"}),
         ("accept", "cq_liaison", "2020-02-06 14:30", {}),
         ("urge", "supervisor", "2020-02-06 20:30", {"note": "疫情工单不过夜,请尽快办结"}),
         ("request_extension", "cq_liaison", "2020-02-06 21:00",
          {"until": "2020-02-07", "reason": "需联合派出所、市场监管夜间突击检查。"}),
     ]),
    ("DEMO-10", dict(content="幸福物业小区电梯一直没人消毒,物业说没有消毒液。", order_type="complaint", category="UC",
                     caller_name="孙先生", caller_phone="13585211947", address="幸福街道公园社区"),
     "2020-02-03 09:00", [
         ("dispatch", "dispatcher", "2020-02-03 09:10", {"lead_unit": "幸福街道"}),
         ("accept", "xf_liaison", "2020-02-03 09:30", {}),
         ("reply", "xf_handler", "2020-02-03 16:00", {"text": "已督促物业每日两次电梯消毒。"}),
         ("signoff", "xf_head", "2020-02-03 17:00", {}),
         ("approve", "dispatcher", "2020-02-03 17:20", {}),
         ("redo", "operator", "2020-02-04 10:00", {"note": "来电人称电梯仍未消毒,物业未落实"}),
     ]),
    ("DEMO-11", dict(content="表扬永和佳苑党员志愿者赵茂源,认真登记每一辆进小区的车。", order_type="praise",
                     category="OTHER", caller_name="曹先生", caller_phone="13906280012", address="永和佳苑"),
     "2020-02-04 16:00", [
         ("dispatch", "dispatcher", "2020-02-04 16:10", {"lead_unit": "永兴街道"}),
         ("accept", "yx_liaison", "2020-02-04 16:30", {}),
         ("reply", "yx_liaison", "2020-02-05 09:00", {"text": "感谢您的肯定,已转达社区并通报表扬。"}),
         ("signoff", "yx_head", "2020-02-05 09:30", {}),
         ("approve", "dispatcher", "2020-02-05 10:00", {}),
         ("callback", "operator", "2020-02-05 15:00", {"result": "satisfied"}),
     ]),
    ("DEMO-12", dict(content="家里老人发烧38度,不知道去哪个医院看。", order_type="help", category="EP-MEDICAL",
                     caller_name="马女士", caller_phone="13013812270"),
     "2020-02-02 19:20", [
         ("answer", "operator", "2020-02-02 19:24", {"text": "KB:4", "knowledge": "KB:4"}),
         ("callback", "operator", "2020-02-03 09:00", {"result": "satisfied"}),
     ]),
    ("DEMO-13", dict(content="开车从苏州回港闸,道路检查站需要什么证明?", order_type="consult", category="EP-VEHICLE",
                     caller_name="黄先生", caller_phone="18651302231"),
     "2020-02-07 11:40", []),
    ("DEMO-14", dict(content="重复来电:询问口罩在哪里能买到。", order_type="consult", category="EP-PRICE",
                     caller_name="顾女士", caller_phone="13962811203"),
     "2020-01-29 11:00", [
         ("cancel", "dispatcher", "2020-01-29 11:05", {"reason": "与 DEMO-01 同一来电人重复来电"}),
     ]),
    ("DEMO-15", dict(content="陈桥街道一家药店口罩一包涨到200元,还卖三无口罩。", order_type="report", category="EP-PRICE",
                     caller_name="冯先生", caller_phone="13806285541", address="陈桥街道"),
     "2020-02-07 09:30", [
         ("dispatch", "dispatcher", "2020-02-07 09:35", {"lead_unit": "区市场监督管理局"}),
     ]),
    ("DEMO-16", dict(content="同一家药店口罩高价,还有假冒口罩。", order_type="report", category="EP-PRICE",
                     caller_name="钱女士", caller_phone="13906281775", address="陈桥街道"),
     "2020-02-07 10:40", [
         ("merge", "dispatcher", "2020-02-07 10:45", {"into": "DEMO-15"}),
     ]),
]


def _at(text):
    return timezone.make_aware(datetime.fromisoformat(text))


def _resolve(value, entries, units):
    if isinstance(value, list):
        return [_resolve(v, entries, units) for v in value]
    if isinstance(value, str) and value.startswith("KB:"):
        return entries[int(value[3:])]
    if isinstance(value, str) and value in units:
        return units[value]
    return value


def _kwargs(action, raw, entries, units):
    kwargs = {k: _resolve(v, entries, units) for k, v in raw.items()}
    if "text" in kwargs and isinstance(kwargs["text"], KnowledgeEntry):
        kwargs["text"] = kwargs["text"].answer
    if action == "request_extension":
        from core import workcal

        kwargs["until"] = workcal.end_of_day(date.fromisoformat(kwargs["until"]))
    if action == "merge":
        kwargs["into"] = WorkOrder.objects.get(external_id=kwargs["into"])
    return kwargs


@transaction.atomic
def load(stdout=None):
    users = {u.username: u for u in get_user_model().objects.all()}
    if "operator" not in users:
        return
    entries = []
    for question, answer, source, tags, valid_from in KNOWLEDGE:
        entry, _ = KnowledgeEntry.objects.get_or_create(
            question=question, defaults=dict(answer=answer, source=source, tags=tags, valid_from=valid_from))
        entries.append(entry)
    if not EmergencyResponse.objects.exists():
        services.switch_emergency(users["supervisor"], on=True, level="一级",
                                  note="江苏省启动重大突发公共卫生事件一级响应", now=_at("2020-01-24 18:00"))
    names = {name for _e, _f, _t, moves in ORDERS for _a, _u, _w, kw in moves for name in _names(kw)}
    units = {u.name: u for u in OrgUnit.objects.filter(name__in=names)}
    created = 0
    for external_id, fields, received, moves in ORDERS:
        if WorkOrder.objects.filter(external_id=external_id).exists():
            continue
        fields = dict(fields, category=Category.objects.get(code=fields["category"]))
        order = services.intake(users["operator"], now=_at(received), external_id=external_id, **fields)
        for action, username, when, raw in moves:
            service = services.SERVICES[action]
            order = service(order, users[username], now=_at(when), **_kwargs(action, raw, entries, units))
        created += 1
    services.mark_warnings(now=_at("2020-02-07 12:00"))
    if stdout:
        stdout.write(f"hotline: {len(ORDERS)} demo orders ({created} new), {len(entries)} knowledge entries")


def _names(kwargs):
    for value in kwargs.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                yield item

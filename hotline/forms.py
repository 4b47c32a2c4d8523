"""Forms: the intake form, and the fields each move asks for (rendered generically on the order page,
parsed into the service's keyword arguments here, so the UI and the API share one parser)."""

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core import workcal
from core.person import validate_phone
from hotline.models import CallbackResult, Category, Channel, KnowledgeEntry, OrderType, Urgency, WorkOrder
from places.models import OrgUnit


class CategoryField(forms.ModelChoiceField):
    """Picked by code; validation is one indexed lookup (the list is only built when rendered)."""

    def label_from_instance(self, obj):
        return f"{obj.parent.name} / {obj.name}" if obj.parent_id else obj.name


class IntakeForm(forms.Form):
    caller_phone = forms.CharField(label=_("来电号码"), max_length=30, required=False,
                                   widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off",
                                                                 "autofocus": True}))
    caller_name = forms.CharField(label=_("来电人"), max_length=50, required=False)
    anonymous = forms.BooleanField(label=_("保密(来电人信息不提供给承办单位)"), required=False)
    order_type = forms.ChoiceField(label=_("诉求类型"), choices=OrderType.choices, initial=OrderType.CONSULT)
    category = CategoryField(label=_("分类"), to_field_name="code", empty_label=_("—— 请选择 ——"),
                             queryset=Category.objects.filter(active=True).select_related("parent"),
                             error_messages={"invalid_choice": _("分类不存在。"), "required": _("请选择分类。")})
    content = forms.CharField(label=_("诉求内容"), widget=forms.Textarea(attrs={"rows": 5}))
    address = forms.CharField(label=_("地址"), max_length=300, required=False,
                              widget=forms.TextInput(attrs={"list": "places", "autocomplete": "off"}))
    channel = forms.ChoiceField(label=_("来源渠道"), choices=Channel.choices, initial=Channel.PHONE)
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Urgency.choices, initial=Urgency.NORMAL)
    epidemic = forms.BooleanField(label=_("疫情工单"), required=False)
    major = forms.BooleanField(label=_("重大事项(立即报告领导)"), required=False)
    # The last triage suggestion the page got (filled by triage/suggest.js), compared with the final choice.
    triage_suggestion = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # Chinese labels read better without a trailing colon
        super().__init__(*args, **kwargs)

    def clean_caller_phone(self):
        value = self.cleaned_data["caller_phone"].strip()
        return validate_phone(value) if value else ""



# Fields each move asks for: (name, label, kind, required). Kinds: text, textarea, unit, units, community,
# date, yesno, result, knowledge.
ACTION_FIELDS = {
    "answer": [("text", _("答复内容"), "textarea", True), ("knowledge", _("知识库依据"), "knowledge", False)],
    "dispatch": [("lead_unit", _("主办单位"), "unit", True), ("co_units", _("协办单位"), "units", False),
                 ("note", _("派单意见"), "text", False)],
    "accept": [],
    "return": [("reason", _("退单理由"), "textarea", True)],
    "subdispatch": [("community", _("下派社区"), "community", True), ("note", _("办理要求"), "text", False)],
    "request_extension": [("until", _("延期至"), "date", True), ("reason", _("延期理由"), "textarea", True)],
    "decide_extension": [("approve", _("审批意见"), "yesno", True), ("note", _("说明"), "text", False)],
    "reply": [("text", _("答复内容"), "textarea", True)],
    "co_opinion": [("note", _("协办意见"), "textarea", True)],
    "send_back": [("note", _("修改意见"), "textarea", True)],
    "signoff": [("text", _("签发答复(可修改)"), "textarea", False)],
    "approve": [("note", _("审核意见"), "text", False)],
    "reject": [("note", _("驳回理由"), "textarea", True)],
    "callback": [("result", _("回访结果"), "result", True), ("note", _("回访记录"), "text", False)],
    "redo": [("note", _("不满意原因(承办单位原因)"), "textarea", True)],
    "urge": [("note", _("催办意见"), "text", False)],
    "supervise": [("note", _("督办意见"), "text", False)],
    "merge": [("into", _("并入工单编号"), "text", True)],
    "cancel": [("reason", _("撤销理由"), "textarea", True)],
}

CLOSING_RESULTS = [(CallbackResult.SATISFIED, _("满意")), (CallbackResult.BASIC, _("基本满意")),
                   (CallbackResult.UNSATISFIED, _("不满意(非承办单位原因)")), (CallbackResult.UNREACHABLE, _("联系不上"))]


def dispatch_units(platform):
    kinds = [OrgUnit.Kind.STREET, OrgUnit.Kind.ZONE, OrgUnit.Kind.DEPARTMENT]
    return OrgUnit.objects.filter(path__startswith=platform.path, kind__in=kinds, active=True).exclude(
        pk=platform.pk).order_by("kind", "path")


def field_choices(order, kind):
    if kind in ("unit", "units"):
        units = sorted(dispatch_units(order.platform), key=lambda u: (u.kind == OrgUnit.Kind.DEPARTMENT, u.path))
        return [(u.pk, u.name) for u in units]  # streets first: most orders go to the territory (属地)
    if kind == "community":
        return [(u.pk, u.name) for u in OrgUnit.objects.filter(
            path__startswith=order.lead_unit.path, kind=OrgUnit.Kind.COMMUNITY, active=True).order_by("path")]
    if kind == "result":
        return CLOSING_RESULTS
    if kind == "yesno":
        return [("1", _("批准")), ("0", _("不批准"))]
    if kind == "knowledge":
        from hotline.selectors import knowledge_search

        return [("", "——")] + [(k.pk, k.question) for k in knowledge_search(order.content)]
    return []


def action_specs(order, actions):
    """What the order page renders for each available move: label, tone and its fields with choices."""
    from hotline.workflow import ACTIONS

    specs = []
    for name in actions:
        fields = []
        for field, label, kind, required in ACTION_FIELDS[name]:
            initial = order.reply_text if (name == "signoff" and field == "text") else ""
            fields.append({"name": field, "label": label, "kind": kind, "required": required,
                           "choices": field_choices(order, kind), "initial": initial})
        specs.append({"name": name, "label": ACTIONS[name].label, "tone": ACTIONS[name].tone, "fields": fields})
    return specs


def parse_action(action, order, data, user=None):
    """Turn posted form/JSON data into the service's keyword arguments (ValidationError on bad input)."""
    kwargs = {}
    for field, label, kind, required in ACTION_FIELDS[action]:
        raw = data.getlist(field) if kind == "units" and hasattr(data, "getlist") else data.get(field, "")
        if kind == "units" and isinstance(raw, str):
            raw = [r for r in raw.split(",") if r]
        if required and not raw and raw != 0:
            raise ValidationError(_("请填写“%(label)s”。") % {"label": label})
        kwargs[field] = _convert(kind, raw, label, order)
    return kwargs


def _unit(value, label, allowed):
    try:
        return allowed.get(pk=int(value))
    except (ValueError, TypeError, OrgUnit.DoesNotExist):
        raise ValidationError(_("“%(label)s”不正确。") % {"label": label}) from None


def _convert(kind, raw, label, order):
    if kind in ("text", "textarea"):
        return str(raw or "").strip()
    if kind == "unit":
        return _unit(raw, label, dispatch_units(order.platform))
    if kind == "units":
        return [_unit(v, label, dispatch_units(order.platform)) for v in raw]
    if kind == "community":
        return _unit(raw, label, OrgUnit.objects.filter(path__startswith=order.lead_unit.path))
    if kind == "date":
        try:
            return workcal.end_of_day(date.fromisoformat(str(raw)[:10]))
        except ValueError:
            raise ValidationError(_("“%(label)s”须为日期,例如 2020-02-20。") % {"label": label}) from None
    if kind == "yesno":
        return str(raw).lower() in ("1", "true", "yes", "on")
    if kind == "result":
        return str(raw)
    if kind == "knowledge":
        return KnowledgeEntry.objects.filter(pk=raw).first() if str(raw).isdigit() else None
    raise ValueError(kind)


def rename_for_service(action, kwargs, user):
    """The 'into' number becomes an order the user can see (outside: as if it did not exist)."""
    if action == "merge":
        from accounts import access

        number = kwargs.pop("into").upper()
        target = access.scope(user, WorkOrder.objects.all()).filter(number=number).first()
        if target is None:
            raise ValidationError(_("找不到工单 %(number)s。") % {"number": number})
        kwargs["into"] = target
    return kwargs


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件(.xlsx)"))


def perform(action, order, user, data):
    """Parse the posted fields and make the move: the one path shared by the order page and the API.

    Raises Http404 for an unknown action, PermissionDenied, InvalidTransition or ValidationError."""
    from django.http import Http404

    from hotline.services import SERVICES

    service = SERVICES.get(action)
    if service is None:
        raise Http404
    return service(order, user, **rename_for_service(action, parse_action(action, order, data, user), user))

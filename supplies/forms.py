from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts import access
from core.person import validate_phone
from places.models import OrgUnit
from supplies import services
from supplies.models import Donor, Item, Need, StockMove
from supplies.validators import validate_credit_code

STOCK_KINDS = [OrgUnit.Kind.DISTRICT, OrgUnit.Kind.STREET, OrgUnit.Kind.ZONE, OrgUnit.Kind.COMMUNITY,
               OrgUnit.Kind.DEPARTMENT, OrgUnit.Kind.CHECKPOINT]


def unit_choices(user, perm):
    """Units where the user holds perm (their units and everything below that keeps stock)."""
    qs = OrgUnit.objects.filter(active=True, kind__in=STOCK_KINDS)
    return access.scope(user, qs, perm).order_by("path")


class ChineseForm(forms.Form):
    """Labels without a trailing colon and a worded empty choice, as on the hotline forms."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if getattr(field, "empty_label", None) == "---------":
                field.empty_label = _("—— 请选择 ——")


class UnitLabelChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}({obj.code})"


def items():
    return Item.objects.filter(active=True)


class ItemLineForm(ChineseForm):
    item = forms.ModelChoiceField(label=_("物资"), queryset=Item.objects.none(), required=False)
    quantity = forms.IntegerField(label=_("数量"), min_value=1, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items()

    def clean(self):
        data = super().clean()
        if data.get("item") and not data.get("quantity"):
            raise ValidationError(_("请填写%(i)s的数量。") % {"i": data["item"].name})
        if data.get("quantity") and not data.get("item"):
            raise ValidationError(_("请选择物资。"))
        return data


class DonationLineForm(ItemLineForm):
    estimated_value = forms.DecimalField(label=_("估值(元)"), min_value=Decimal("0"), decimal_places=2,
                                         required=False)


class SplitForm(ChineseForm):
    purpose = forms.CharField(label=_("用途"), max_length=120, required=False)
    recipient_unit = UnitLabelChoice(label=_("受赠单位"), queryset=OrgUnit.objects.none(), required=False)
    recipient_name = forms.CharField(label=_("或区外受赠方"), max_length=100, required=False)
    amount = forms.DecimalField(label=_("金额(元)"), min_value=Decimal("0.01"), decimal_places=2, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient_unit"].queryset = OrgUnit.objects.filter(
            active=True, kind__in=[OrgUnit.Kind.DISTRICT, OrgUnit.Kind.STREET, OrgUnit.Kind.ZONE,
                                   OrgUnit.Kind.DEPARTMENT]).order_by("path")


ItemLines = forms.formset_factory(ItemLineForm, extra=3)
DonationLines = forms.formset_factory(DonationLineForm, extra=4)
Splits = forms.formset_factory(SplitForm, extra=3)


def filled_lines(formset, value=False):
    rows = [f.cleaned_data for f in formset.forms if f.cleaned_data.get("item")]
    if value:
        return [(r["item"], r["quantity"], r.get("estimated_value")) for r in rows]
    return [(r["item"], r["quantity"]) for r in rows]


def filled_splits(formset):
    return [services.Split(r["purpose"], r["amount"], r.get("recipient_unit"), r.get("recipient_name") or "")
            for r in (f.cleaned_data for f in formset.forms) if r.get("purpose") or r.get("amount")]


class NeedForm(ChineseForm):
    unit = UnitLabelChoice(label=_("求助单位"), queryset=OrgUnit.objects.none())
    title = forms.CharField(label=_("标题"), max_length=120, initial=_("防疫物资紧缺求助"))
    urgency = forms.ChoiceField(label=_("紧急程度"), choices=Need.Urgency.choices, initial=Need.Urgency.URGENT)
    deadline = forms.DateField(label=_("需要日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    visibility = forms.ChoiceField(label=_("公开范围"), choices=Need.Visibility.choices,
                                   help_text=_("公开求助会出现在对外的求助与致谢页面上。"))
    contact = forms.CharField(label=_("联系人"), max_length=60, required=False)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = unit_choices(user, "supplies.request")


class DonationForm(ChineseForm):
    kind = forms.ChoiceField(label=_("捐赠方类型"), choices=Donor.Kind.choices, initial=Donor.Kind.ORGANISATION)
    name = forms.CharField(label=_("捐赠方名称/姓名"), max_length=100)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=20, required=False)
    title = forms.ChoiceField(label=_("身份"), choices=Donor.Title.choices, required=False)
    title_detail = forms.CharField(label=_("身份说明"), max_length=60, required=False,
                                   help_text=_("如:南通市人大代表"))
    contact_name = forms.CharField(label=_("联系人"), max_length=40, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    consent_public = forms.BooleanField(label=_("捐赠方同意在致谢名单中公开姓名/名称"), required=False)
    received_by = UnitLabelChoice(label=_("接收单位"), queryset=OrgUnit.objects.none())
    needs = forms.ModelMultipleChoiceField(label=_("响应的求助"), queryset=Need.objects.none(), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    amount = forms.DecimalField(label=_("捐款金额(元)"), min_value=Decimal("0.01"), decimal_places=2,
                                required=False)
    received = forms.BooleanField(label=_("物资已到/款项已到账(直接入库)"), required=False, initial=True)
    note = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_by"].queryset = unit_choices(user, "supplies.manage")
        visible = access.scope(user, Need.objects.all(), "supplies.view")
        self.fields["needs"].queryset = Need.objects.filter(
            Q(pk__in=visible.values("pk")) | Q(visibility=Need.Visibility.PUBLIC), closed_at__isnull=True
        ).select_related("unit")

    def clean_credit_code(self):
        code = self.cleaned_data.get("credit_code", "")
        return validate_credit_code(code) if code else ""

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "")
        return validate_phone(phone) if phone else ""


class AllocationForm(ChineseForm):
    from_unit = UnitLabelChoice(label=_("调出单位"), queryset=OrgUnit.objects.none())
    to_unit = UnitLabelChoice(label=_("调入单位"), queryset=OrgUnit.objects.none())
    need = forms.ModelChoiceField(label=_("对应求助"), queryset=Need.objects.none(), required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_unit"].queryset = unit_choices(user, "supplies.manage")
        self.fields["to_unit"].queryset = OrgUnit.objects.filter(active=True, kind__in=STOCK_KINDS).exclude(
            kind=OrgUnit.Kind.DISTRICT).order_by("path")
        self.fields["need"].queryset = access.scope(
            user, Need.objects.filter(closed_at__isnull=True), "supplies.view").select_related("unit")


class ConsumeForm(ChineseForm):
    item = forms.ModelChoiceField(label=_("物资"), queryset=Item.objects.none())
    quantity = forms.IntegerField(label=_("数量"), min_value=1)
    kind = forms.ChoiceField(label=_("出库类型"), choices=[(StockMove.Kind.DISTRIBUTION, _("发放给群众/一线")),
                                                          (StockMove.Kind.USE, _("本单位使用消耗"))])
    note = forms.CharField(label=_("去向说明"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items()


class PurchaseForm(ChineseForm):
    item = forms.ModelChoiceField(label=_("物资"), queryset=Item.objects.none())
    quantity = forms.IntegerField(label=_("数量"), min_value=1)
    supplier = forms.CharField(label=_("供应商"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items()


class ImportForm(ChineseForm):
    file = forms.FileField(label=_("Excel文件(.xlsx)"))

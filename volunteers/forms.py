from django import forms
from django.utils.translation import gettext_lazy as _

from core.person import validate_id_card, validate_mobile
from volunteers.models import WEEKDAYS, DayPart, Post, Skill, Volunteer


class SignUpForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=60, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = forms.CharField(label=_("手机号码"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    id_number = forms.CharField(label=_("身份证号码"), max_length=25, help_text=_("仅用于核实身份,加密保存。"))
    skills = forms.MultipleChoiceField(label=_("特长"), choices=Skill.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    skills_note = forms.CharField(label=_("其他特长或说明"), max_length=200, required=False)
    party_member = forms.BooleanField(label=_("我是党员(含预备党员)"), required=False)
    availability = forms.MultipleChoiceField(
        label=_("可服务时间"), required=True,
        choices=[(f"{d}-{p}", f"{WEEKDAYS[d]} {label}") for d in range(7) for p, label in DayPart.choices],
        error_messages={"required": _("请至少选择一个可以服务的时间段。")})
    high_risk_ok = forms.BooleanField(label=_("愿意承担上门服务等高风险任务"), required=False)
    honour_consent = forms.BooleanField(label=_("同意在社区光荣榜上展示我的姓名和服务时长"), required=False)

    def clean_phone(self):
        return validate_mobile(self.cleaned_data["phone"])

    def clean_id_number(self):
        return validate_id_card(self.cleaned_data["id_number"])

    def availability_grid(self):
        """Rows of (weekday label, [(value, checked)]) for the weekday × time-of-day table."""
        chosen = set(self["availability"].value() or [])
        return [(WEEKDAYS[d], [(f"{d}-{p}", f"{d}-{p}" in chosen) for p in DayPart.values]) for d in range(7)]


class DecisionForm(forms.Form):
    to_status = forms.ChoiceField(choices=Volunteer.Status.choices, widget=forms.HiddenInput)
    message = forms.CharField(label=_("给志愿者的话(可选)"), required=False, max_length=300,
                              widget=forms.Textarea(attrs={"rows": 2}))


class PostForm(forms.Form):
    unit = forms.ChoiceField(label=_("所在单位"))
    name = forms.CharField(label=_("岗位名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类型"), choices=Post.Kind.choices)
    staffing = forms.ChoiceField(label=_("人员来源"), choices=Post.Staffing.choices)
    high_risk = forms.BooleanField(label=_("高风险岗位(仅安排自愿承担者)"), required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {str(u.pk): u for u in units}
        self.fields["unit"].choices = [(str(u.pk), u.full_name) for u in units]

    def clean_unit(self):
        return self.units[self.cleaned_data["unit"]]


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("班次名称"), max_length=40, required=False)
    start_time = forms.TimeField(label=_("开始"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("结束"), widget=forms.TimeInput(attrs={"type": "time"}),
                               help_text=_("早于开始时间表示次日结束(如夜班 20:00–08:00)。"))
    weekdays = forms.MultipleChoiceField(label=_("适用星期"), choices=[(str(i), d) for i, d in enumerate(WEEKDAYS)],
                                         initial=[str(i) for i in range(7)], widget=forms.CheckboxSelectMultiple)
    min_staff = forms.IntegerField(label=_("最少人数"), min_value=1, max_value=50, initial=1)

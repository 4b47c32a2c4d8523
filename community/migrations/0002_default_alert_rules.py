from django.db import migrations

RULES = [
    ("fever", "37.3", "danger",
     "请劝其暂缓进入,复测一次;仍≥37.3℃:引导至临时观察点,通知社区工作人员,由社区联系发热门诊,不要让其自行离开。"),
    ("hubei", None, "danger",
     "请登记全部人员身份证号与14天行程,劝其暂缓进入,等候社区工作人员到场核实;不得与其争执。"),
    ("quarantine_out", None, "danger",
     "居家隔离期内不得外出:请劝其返回住处,已通知社区工作人员;如有就医等特殊需要,由社区安排。"),
    ("missed_check", None, "warning", "请电话联系隔离对象,确认身体状况并提醒按时测温上报。"),
]


def add_rules(apps, schema_editor):
    AlertRule = apps.get_model("community", "AlertRule")
    for kind, threshold, level, advice in RULES:
        AlertRule.objects.get_or_create(kind=kind, defaults={"threshold": threshold, "level": level, "advice": advice})


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]
    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]

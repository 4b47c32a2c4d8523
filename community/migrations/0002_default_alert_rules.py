from django.db import migrations

from community.rules import DEFAULT_RULES as RULES


def add_rules(apps, schema_editor):
    AlertRule = apps.get_model("community", "AlertRule")
    for kind, threshold, level, advice in RULES:
        AlertRule.objects.get_or_create(kind=kind, defaults={"threshold": threshold, "level": level, "advice": advice})


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]
    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]

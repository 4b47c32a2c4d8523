"""The story's supply catalogue (admin-editable afterwards)."""

from django.db import migrations

ITEMS = [
    # name, unit, category, grade, sort
    ("一次性医用口罩", "个", "mask", "一次性使用医用口罩(YY/T 0969)", 10),
    ("医用外科口罩", "个", "mask", "医用外科口罩(YY 0469)", 11),
    ("N95口罩", "个", "mask", "N95/KN95", 12),
    ("额温枪", "把", "thermometer", "红外额温计", 20),
    ("医用消毒酒精", "桶", "disinfectant", "75%乙醇,5升装", 30),
    ("84消毒液", "桶", "disinfectant", "含氯消毒液,桶装", 31),
    ("84消毒液", "斤", "disinfectant", "含氯消毒液,散装", 32),
    ("医用防护服", "件", "protective", "医用一次性防护服(GB 19082)", 40),
    ("医用护目镜", "副", "protective", "", 41),
    ("一次性医用手套", "双", "protective", "", 42),
    ("纸巾", "箱", "daily", "", 50),
    ("方便面", "箱", "daily", "", 51),
    ("矿泉水", "箱", "daily", "", 52),
]


def forwards(apps, schema_editor):
    Item = apps.get_model("supplies", "Item")
    for name, unit, category, grade, sort in ITEMS:
        Item.objects.update_or_create(name=name, unit=unit,
                                      defaults={"category": category, "grade": grade, "sort": sort})


def backwards(apps, schema_editor):
    Item = apps.get_model("supplies", "Item")
    for name, unit, *_rest in ITEMS:
        Item.objects.filter(name=name, unit=unit).delete()


class Migration(migrations.Migration):
    dependencies = [("supplies", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]

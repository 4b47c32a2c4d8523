"""The default category tree ships with the installation (not with the demo data)."""

from django.db import migrations

# code, name, parent code, is_epidemic, territorial, description
DEFAULT_CATEGORIES = [
    ("EP", "疫情防控", "", True, False, "2020年新冠肺炎疫情相关诉求"),
    ("EP-POLICY", "政策咨询", "EP", True, False, "隔离规定、出行、复工等政策问题"),
    ("EP-PERSON", "人员排查举报", "EP", True, True, "举报从武汉/湖北返回未隔离人员"),
    ("EP-QUARANTINE", "隔离观察", "EP", True, True, "居家/集中隔离中的问题"),
    ("EP-RETURN", "返乡返岗", "EP", True, False, "返回本地或返岗"),
    ("EP-VEHICLE", "交通车辆", "EP", True, False, "道路封闭、鄂籍车辆滞留、检查站"),
    ("EP-PRICE", "防疫物资价格", "EP", True, False, "口罩消毒液囤积、哄抬价格、假冒伪劣"),
    ("EP-WORK", "复工复产", "EP", True, False, "企业提前或违规复工"),
    ("EP-GATHER", "聚集经营", "EP", True, True, "聚集活动、违规营业"),
    ("EP-LIVING", "生活保障", "EP", True, True, "封闭期间食品、日用品、水电气"),
    ("EP-MEDICAL", "就医求助", "EP", True, False, "就医、发热门诊"),
    ("EP-OTHER", "其他疫情事项", "EP", True, False, "其他疫情相关事项"),
    ("UC", "城乡建设", "", False, True, "住房、物业、拆迁安置、市政设施"),
    ("ENV", "环境保护", "", False, False, "污染、噪声、垃圾"),
    ("TRAFFIC", "交通运输", "", False, False, "公交、道路、出租车、停车"),
    ("EDU", "教育文体", "", False, False, "学校、招生、文体活动"),
    ("LABOR", "劳动和社会保障", "", False, False, "工资、社保、就业"),
    ("COMMERCE", "商贸旅游", "", False, False, "经营、消费、旅游"),
    ("HEALTH", "卫生计生", "", False, False, "医疗、计生、公共卫生"),
    ("MARKET", "市场监管", "", False, False, "价格、食品安全、质量"),
    ("SAFETY", "公共安全", "", False, False, "治安、消防、安全生产"),
    ("CIVIL", "民政服务", "", False, True, "低保、养老、社区事务"),
    ("CITY", "城市管理", "", False, True, "占道、违建、市容"),
    ("OTHER", "其他", "", False, False, "其他诉求"),
]


def add_defaults(apps, schema_editor):
    Category = apps.get_model("hotline", "Category")
    by_code = {}
    for sort, (code, name, parent, epidemic, territorial, description) in enumerate(DEFAULT_CATEGORIES):
        obj, _ = Category.objects.get_or_create(
            code=code,
            defaults=dict(name=name, parent=by_code.get(parent), is_epidemic=epidemic, territorial=territorial,
                          description=description, sort=sort * 10),
        )
        by_code[code] = obj


class Migration(migrations.Migration):
    dependencies = [("hotline", "0001_categories")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]

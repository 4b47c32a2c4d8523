import pytest
from django.core.management import call_command

from triage.demo import DEMO_CSV
from triage.gazetteer import GazetteerImportError, import_gazetteer
from triage.models import Landmark, Road

HEADER = "type,name,aliases,unit_code,number_from,number_to,illustrative,note\n"


def test_demo_gazetteer_imports_and_is_idempotent(org):
    call_command("import_gazetteer", str(DEMO_CSV))
    roads, marks = Road.objects.count(), Landmark.objects.count()
    call_command("import_gazetteer", str(DEMO_CSV))
    assert (Road.objects.count(), Landmark.objects.count()) == (roads, marks)
    assert Road.objects.filter(name="永兴大道").count() == 3
    assert Landmark.objects.get(name="唐闸古镇").illustrative is False
    assert Road.objects.get(name="永和路").illustrative is True


def test_house_number_range_coverage(org):
    import_gazetteer(HEADER + "road,长江路,,320611001007,1,99,1,\n")
    road = Road.objects.get()
    assert road.covers(50) and not road.covers(100) and not road.covers(None)


@pytest.mark.parametrize("row,message", [
    ("road,长江路,,999,,,1,", "没有编码"),
    ("bridge,长江桥,,320611001007,,,1,", "road 或 landmark"),
    ("road,长江路,,320611001007,50,10,1,", "起止颠倒"),
    ("road,长江路,,320611D01,,,1,", "只能挂在"),
    ("landmark,某菜场,,320611001007,1,,1,", "门牌号"),
])
def test_bad_rows_write_nothing(org, row, message):
    text = HEADER + "road,好路,,320611001007,,,1,\n" + row + "\n"
    with pytest.raises(GazetteerImportError, match=message):
        import_gazetteer(text)
    assert Road.objects.count() == 0

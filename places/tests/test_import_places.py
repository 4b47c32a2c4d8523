import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from places.demo import demo_csv
from places.models import OrgUnit
from places.services import PlacesImportError, import_places

HEADER = "code,name,kind,parent_code,aliases\n"
GOOD = HEADER + (
    "320611,港闸区,district,,港闸|南通市港闸区\n"
    "320611006,幸福街道,street,320611,幸福\n"
    "320611006011,花桥社区,community,320611006,\n"
    "320611006011C01,花桥新村,compound,320611006011,花桥小区\n"
    "320611006011C01G1,花桥新村东门,gate,320611006011C01,\n"
    "320611D01,区市场监督管理局,department,320611,市场监管局\n"
    "320611K01,长江口水上联合检查站,checkpoint,320611,\n"
)


@pytest.fixture
def csv_file(tmp_path):
    def write(text):
        path = tmp_path / "places.csv"
        path.write_text(text, encoding="utf-8")
        return str(path)

    return write


def test_good_file_builds_the_tree(db, csv_file, capsys):
    call_command("import_places", csv_file(GOOD))
    gate = OrgUnit.objects.get(code="320611006011C01G1")
    assert gate.path == "/320611/320611006/320611006011/320611006011C01/320611006011C01G1/"
    assert gate.street.name == "幸福街道"
    assert OrgUnit.objects.get(code="320611").aliases == ["港闸", "南通市港闸区"]
    assert "created=7" in capsys.readouterr().out


def test_reimport_changes_nothing(db, csv_file, capsys):
    call_command("import_places", csv_file(GOOD))
    before = list(OrgUnit.objects.values_list("id", "code", "name", "path", "aliases").order_by("id"))
    capsys.readouterr()
    call_command("import_places", csv_file(GOOD))
    assert "created=0 updated=0 unchanged=7" in capsys.readouterr().out
    assert list(OrgUnit.objects.values_list("id", "code", "name", "path", "aliases").order_by("id")) == before


def test_reimport_with_rename_and_move_updates_paths(db):
    import_places(GOOD)
    moved = GOOD.replace("320611006011,花桥社区,community,320611006,", "320611006011,花桥社区(新),community,320611D01,")
    with pytest.raises(PlacesImportError, match="不能挂在"):
        import_places(moved)
    extra = GOOD + "320611005,陈桥街道,street,320611,\n"
    moved = extra.replace("320611006011,花桥社区,community,320611006,", "320611006011,花桥社区,community,320611005,")
    import_places(moved)
    gate = OrgUnit.objects.get(code="320611006011C01G1")
    assert gate.path.startswith("/320611/320611005/320611006011/")


@pytest.mark.parametrize(
    "bad_line,reason",
    [
        ("320611006099,某社区,hamlet,320611006,", "未知类型"),
        ("320611006099,某社区,community,320611999,", "上级编码“320611999”不存在"),
        ("320611006011,花桥社区重复,community,320611006,", "重复"),
        ("320611006099,,community,320611006,", "名称"),
        ("320611006099,某社区,community,,", "缺少上级"),
        ("320611006099,某门,gate,320611,", "不能挂在"),
    ],
)
def test_bad_row_stops_import_with_line_and_writes_nothing(db, csv_file, bad_line, reason):
    text = GOOD + bad_line + "\n"
    with pytest.raises(CommandError) as err:
        call_command("import_places", csv_file(text))
    assert "第9行" in str(err.value) and reason in str(err.value)
    assert OrgUnit.objects.count() == 0


def test_second_root_refused(db):
    import_places(GOOD)
    with pytest.raises(PlacesImportError, match="根单位"):
        import_places(HEADER + "320612,崇川区,district,,\n")


def test_missing_column_and_encoding(db, tmp_path):
    with pytest.raises(PlacesImportError, match="表头缺少列"):
        import_places("code,name,kind\n1,a,district\n")
    path = tmp_path / "gbk.csv"
    path.write_bytes(GOOD.encode("gbk"))
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("import_places", str(path))


def test_demo_district_is_the_real_gangzha(db):
    import_places(demo_csv())
    assert OrgUnit.objects.filter(kind="community").count() == 78
    streets = set(OrgUnit.objects.filter(kind__in=["street", "zone"]).values_list("code", "name"))
    assert ("320611006", "幸福街道") in streets and ("320611400", "港闸开发区") in streets and len(streets) == 7
    assert OrgUnit.objects.get(name="永和佳苑").parent.name == "永和社区"
    assert OrgUnit.objects.get(name="永和社区").street.name == "永兴街道"

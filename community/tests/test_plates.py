import pytest
from django.core.management import call_command

from community.plates import PROVINCES, parse_plate


@pytest.mark.parametrize("raw, plate, new_energy", [
    ("苏F12345", "苏F12345", False),
    ("苏FD12345", "苏FD12345", True),
    ("苏F12345D", "苏F12345D", True),
    ("苏FF1234A", None, None),
    ("苏fa1b23", "苏FA1B23", False),
    ("苏 F·１２３４５", "苏F12345", False),
    ("苏ＦＡ１２３４", "苏FA1234", False),
])
def test_valid_plates_are_normalised(raw, plate, new_energy):
    result = parse_plate(raw)
    if plate is None:
        assert not result.valid
        return
    assert result.valid, result.reason
    assert result.plate == plate
    assert result.new_energy is new_energy


def test_every_province_abbreviation_is_accepted():
    assert len(PROVINCES) == 31
    for p in PROVINCES:
        assert parse_plate(f"{p}A12345").valid


def test_local_follows_home_prefix_setting(settings):
    assert parse_plate("苏F12345").local
    assert not parse_plate("苏A12345").local
    assert not parse_plate("鄂A12345").local
    assert parse_plate("鄂A12345").province_name == "湖北"
    settings.PLATE_HOME_PREFIX = "苏A"
    assert parse_plate("苏A12345").local


@pytest.mark.parametrize("raw, words", [
    ("", "请填写"),
    ("苏F1234", "当前6位"),
    ("苏F123456789", "当前11位"),
    ("苏F1234O", "I和O"),
    ("苏I12345", "I和O"),
    ("苏O12345", "I和O"),
    ("X12345", "省份简称"),
    ("A苏12345", "省份简称"),
    ("苏112345", "发牌机关字母"),
    ("苏F1234警", "警用号牌"),
    ("使123456", "使馆号牌"),
    ("苏F1234领", "领事馆"),
    ("WJ苏12345", "武警"),
    ("苏F1234学", "教练车"),
    ("苏F12#45", "字母或数字"),
    ("苏FA12345", "新能源号牌"),
])
def test_invalid_plates_say_why_in_chinese(raw, words):
    result = parse_plate(raw)
    assert not result.valid
    assert words in result.reason


def test_check_plate_command_prints_one_line(capsys):
    call_command("check_plate", "苏F12345")
    assert capsys.readouterr().out.strip() == "valid=1 province=苏 city=F local=1 new_energy=0"
    call_command("check_plate", "鄂A1234")
    out = capsys.readouterr().out.strip()
    assert out.startswith("valid=0 reason=")
    assert "\n" not in out
    call_command("check_plate", "苏FD12345")
    assert capsys.readouterr().out.strip() == "valid=1 province=苏 city=F local=1 new_energy=1"

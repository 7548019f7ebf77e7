"""Checking rows: what is created, updated or left, and every bad row with its row, column and message."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from cadres.models import Cadre, Position
from tests import factories as f
from tests.importer.conftest import headers, kind_sheet
from villages.importer import services
from villages.importer.planner import Plan
from villages.importer.schema import Kind
from villages.models import Township, Village


def snapshot():
    return (
        sorted(Township.objects.values_list("county_id", "code", "name", "population")),
        sorted(Village.objects.values_list("township_id", "code", "name", "households", "population")),
        sorted(Cadre.objects.values_list("name", "birth_date", "phone")),
        sorted(Position.objects.values_list("cadre_id", "kind", "start_date")),
    )


def run(world, write_xlsx, sheets, township=None, dry_run=False):
    return services.registry_import(
        path=write_xlsx(sheets), county=world.county_a, township=township, dry_run=dry_run
    )


def messages(plan):
    return [(e["row"], e["column"], e["message"]) for e in plan.errors]


def test_full_workbook_creates_then_reimport_changes_nothing(world, write_xlsx):
    sheets = {
        **kind_sheet(Kind.TOWNSHIPS, ["30", "甲三镇", 1200]),
        **kind_sheet(
            Kind.VILLAGES,
            [30, "101", "新村", "是", "否", 10, 30],
            ["01", "001", "东村改", "否", "否", 300, 1100],
        ),
        **kind_sheet(Kind.DEPARTMENTS, ["D09", "新局", "否"]),
        **kind_sheet(
            Kind.PARTY_ORGANIZATIONS,
            ["乡镇党委", "甲三镇党委", "30", None, None, 40],
            ["村党支部", "新村党支部", "30", "101", None, 12],
            ["县直部门党组织", "新局机关党支部", None, None, "D09", 8],
        ),
        **kind_sheet(
            Kind.CADRES,
            ["王五", "男", "1980/3/1", None, "高中/中专", "2005年7月1日", 13800138000.0, "30", 101.0, None],
            ["赵六", "女", 29281, "蒙古族", None, None, None, None, None, "D09"],
        ),
        **kind_sheet(
            Kind.POSITIONS,
            ["王五", datetime.date(1980, 3, 1), "村党组织书记", "30", "101", None, "2021-01-01", None],
            ["赵六", "1980-03-01", "第一书记", 30.0, "101", "新局", "2022-05-01", None],
        ),
    }
    plan = run(world, write_xlsx, sheets)
    assert plan.errors == []
    assert plan.counts["townships"] == {"create": 1, "update": 0, "unchanged": 0}
    assert plan.counts["villages"] == {"create": 1, "update": 1, "unchanged": 0}
    assert plan.counts["positions"]["create"] == 2
    township = Township.objects.get(county=world.county_a, code="30")
    village = Village.objects.get(township=township, code="101")
    assert Village.objects.get(pk=world.a1v1.pk).name == "东村改"
    wang = Cadre.objects.get(name="王五")
    assert (wang.phone, wang.village, wang.party_joined_on) == (
        "13800138000",
        village,
        datetime.date(2005, 7, 1),
    )
    zhao = Cadre.objects.get(name="赵六")
    assert zhao.department.code == "D09" and zhao.ethnicity == "蒙古族"
    first = Position.objects.get(cadre=zhao)
    assert (first.kind, first.village, first.sent_from) == (Position.Kind.FIRST_SECRETARY, village, "新局")
    branch = village.party_organizations.get()
    assert branch.parent.kind == "township_committee" and branch.parent.township == township

    again = run(world, write_xlsx, sheets)
    assert again.errors == []
    assert all(c["create"] == 0 and c["update"] == 0 for c in again.counts.values()), again.counts


def test_help_and_example_rows_of_the_template_are_skipped(world, tmp_path):
    from villages.importer.exports import template_workbook

    path = str(tmp_path / "t.xlsx")
    template_workbook(Kind.VILLAGES).save(path)
    plan = services.registry_import(path=path, county=world.county_a, dry_run=True)
    assert plan.errors == [] and plan.row_count == 0


def test_missing_and_unknown_headers_are_reported(world, write_xlsx):
    sheet = {"村": [["乡镇代码", "村名", "户数"], ["01", "x", 1]]}
    plan = run(world, write_xlsx, sheet)
    found = messages(plan)
    assert any("未知的列“村名”" in m for _r, _c, m in found)
    assert any("缺少必填列“村代码”" in m for _r, _c, m in found)
    assert plan.counts["villages"]["create"] == 0


def test_a_sheet_without_headers_is_reported(world, write_xlsx):
    from villages.importer.xlsx import WorkbookError

    with pytest.raises(WorkbookError, match="没有与模板表头一致的工作表"):
        run(world, write_xlsx, {"Sheet1": [["甲", "乙"], ["丙", "丁"]]})


def test_bad_cells_name_row_and_column(world, write_xlsx):
    sheets = kind_sheet(
        Kind.CADRES,
        ["张三", "男", "1980-02-30", None, None, None, "12345", "01", "001", None],
        ["李四", "未知", "1980-01-01", None, "博士后", "1970-01-01", None, "99", None, None],
    )
    plan = run(world, write_xlsx, sheets)
    found = messages(plan)
    assert (2, "出生日期", "“1980-02-30”不是日期，请写成 2024-03-01、2024/3/1 或 2024年3月1日。") in found
    assert any(r == 2 and c == "联系电话" for r, c, _m in found)
    assert any(r == 3 and c == "性别" and "男、女" in m for r, c, m in found)
    assert any(r == 3 and c == "学历" for r, c, _m in found)
    assert not Cadre.objects.filter(name__in=["张三", "李四"]).exists()


def test_unknown_township_and_village(world, write_xlsx):
    sheets = kind_sheet(Kind.VILLAGES, ["99", "001", "无名村", "否", "否", 0, 0])
    sheets.update(
        kind_sheet(Kind.CADRES, ["张三", "男", "1980-01-01", None, None, None, None, "01", "777", None])
    )
    plan = run(world, write_xlsx, sheets)
    found = messages(plan)
    assert (2, "乡镇代码", "本县没有代码为“99”的乡镇。") in found
    assert any("没有代码为“777”的村" in m for _r, _c, m in found)


def test_duplicate_codes_inside_the_file(world, write_xlsx):
    sheets = kind_sheet(
        Kind.VILLAGES,
        ["01", "010", "甲", "否", "否", 0, 0],
        ["01", "011", "乙", "否", "否", 0, 0],
        ["01", "010.0", "丙", "否", "否", 0, 0],
    )
    plan = run(world, write_xlsx, sheets)
    assert messages(plan) == [(4, "村代码", "重复：01/010 已在第 2 行出现。")]
    assert not Village.objects.filter(code__in=["010", "011"]).exists()


def test_merged_cells_are_reported(world, write_xlsx, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "村"
    sheet.append(headers(Kind.VILLAGES))
    sheet.append(["01", "020", "甲", "否", "否", 0, 0])
    sheet.append(["01", "021", "乙", "否", "否", 0, 0])
    sheet.merge_cells("A2:A3")
    path = tmp_path / "merged.xlsx"
    book.save(path)
    plan = services.registry_import(path=str(path), county=world.county_a)
    assert (2, "A2", "单元格 A2:A3 是合并单元格。请取消合并并在每个单元格中填写。") in messages(plan)
    assert not Village.objects.filter(code="020").exists()


def test_error_in_the_last_row_applies_nothing(world, write_xlsx):
    before = snapshot()
    rows = [["01", f"{100 + i}", f"村{i}", "否", "否", 0, 0] for i in range(50)]
    rows.append(["01", "999", "坏村", "否", "否", 500, 10])  # population below households
    plan = run(
        world,
        write_xlsx,
        {**kind_sheet(Kind.TOWNSHIPS, ["05", "新镇", 0]), **kind_sheet(Kind.VILLAGES, *rows)},
    )
    assert plan.error_count == 1 and plan.errors[0]["row"] == 52
    assert snapshot() == before


def test_a_database_failure_while_applying_rolls_everything_back(world, write_xlsx, monkeypatch):
    """Even if a write fails half-way (here: the positions), the townships written before are gone."""
    before = snapshot()
    sheets = {
        **kind_sheet(Kind.TOWNSHIPS, ["06", "又一镇", 0]),
        **kind_sheet(Kind.CADRES, ["钱七", "男", "1979-01-01", None, None, None, None, "06", None, None]),
        **kind_sheet(
            Kind.POSITIONS, ["钱七", "1979-01-01", "乡镇组织委员", "06", None, None, "2020-01-01", None]
        ),
    }

    def boom(self, *args, **kwargs):
        raise IntegrityError("simulated")

    monkeypatch.setattr(Plan, "_apply_positions", boom)
    with pytest.raises(IntegrityError):
        run(world, write_xlsx, sheets)
    assert snapshot() == before


def test_second_sitting_secretary_is_refused(world, write_xlsx):
    sitting = f.PositionFactory(cadre=f.CadreFactory(village=world.a1v1, name="老书记"))
    sheets = {
        **kind_sheet(Kind.CADRES, ["新书记", "男", "1985-01-01", None, None, None, None, "01", "001", None]),
        **kind_sheet(
            Kind.POSITIONS, ["新书记", "1985-01-01", "村党组织书记", "01", "001", None, "2024-01-01", None]
        ),
    }
    plan = run(world, write_xlsx, sheets)
    assert any("已有在任村党组织书记" in e["message"] for e in plan.errors)
    # Ending the old secretary's term in the same file makes it valid.
    sheets[list(sheets)[1]].append(
        [
            "老书记",
            sitting.cadre.birth_date,
            "村党组织书记",
            "01",
            "001",
            None,
            sitting.start_date,
            "2023-12-31",
        ]
    )
    plan = run(world, write_xlsx, sheets)
    assert plan.errors == []
    sitting.refresh_from_db()
    assert sitting.end_date == datetime.date(2023, 12, 31)


def test_township_user_imports_only_into_own_township(world, write_xlsx):
    """tom (A1) may import villages of A1; a row of A2 is an out-of-scope bad row; townships are refused."""
    before = snapshot()
    sheets = {
        **kind_sheet(
            Kind.VILLAGES,
            ["01", "030", "甲一新村", "否", "否", 0, 0],
            ["02", "030", "甲二新村", "否", "否", 0, 0],
        ),
        **kind_sheet(Kind.TOWNSHIPS, ["07", "越权镇", 0]),
    }
    plan = run(world, write_xlsx, sheets, township=world.a1)
    found = messages(plan)
    assert any(r == 3 and c == "乡镇代码" and "不在您的权限范围内" in m for r, c, m in found)
    assert any("乡镇用户不能导入乡镇" in m for _r, _c, m in found)
    assert snapshot() == before
    ok = run(
        world,
        write_xlsx,
        kind_sheet(Kind.VILLAGES, ["01", "030", "甲一新村", "否", "否", 0, 0]),
        township=world.a1,
    )
    assert ok.errors == [] and Village.objects.filter(township=world.a1, code="030").exists()


def test_township_user_cannot_touch_other_townships_cadres(world, write_xlsx):
    other = f.CadreFactory(village=world.a2v1, name="外乡人", birth_date=datetime.date(1970, 1, 1))
    label = str(Position.Kind.VILLAGE_COMMITTEE_MEMBER.label)
    sheets = kind_sheet(
        Kind.POSITIONS, ["外乡人", "1970-01-01", label, "02", "001", None, "2020-01-01", None]
    )
    plan = run(world, write_xlsx, sheets, township=world.a1)
    assert plan.error_count == 1 and "不在您的权限范围内" in plan.errors[0]["message"]
    assert not other.positions.exists()


def test_english_headers_are_accepted(world, write_xlsx):
    sheets = {
        "Villages": [["Township code", "Village code", "Village name"], ["01", "040", "English village"]]
    }
    plan = run(world, write_xlsx, sheets)
    assert plan.errors == [] and Village.objects.filter(code="040", name="English village").exists()


def test_command_dry_run_changes_nothing(world, write_xlsx, capsys):
    path = write_xlsx(kind_sheet(Kind.VILLAGES, ["01", "050", "试村", "否", "否", 0, 0]))
    before = snapshot()
    call_command("import_registry", path, "--county", "A", "--dry-run")
    out = capsys.readouterr().out
    assert "新增 1 条" in out and "试运行" in out
    assert snapshot() == before
    call_command("import_registry", path, "--county", "A")
    assert Village.objects.filter(township=world.a1, code="050").exists()


def test_command_reports_bad_rows_and_bad_files(world, write_xlsx, tmp_path, capsys):
    path = write_xlsx(kind_sheet(Kind.VILLAGES, ["99", "050", "试村", "否", "否", 0, 0]))
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import_registry", path, "--county", "A")
    assert "本县没有代码为“99”的乡镇" in capsys.readouterr().out
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="0 字节"):
        call_command("import_registry", str(empty), "--county", "A")
    with pytest.raises(CommandError, match="Several counties"):
        call_command("import_registry", path)


def test_columns_left_out_keep_the_registry_values(world, write_xlsx):
    world.a1v1.households, world.a1v1.population, world.a1v1.is_poverty_key = 321, 1234, True
    world.a1v1.save()
    sheets = {"村": [["乡镇代码", "村代码", "村名称"], ["01", "001", "东村新名"]]}
    plan = run(world, write_xlsx, sheets)
    assert plan.errors == [] and plan.counts["villages"]["update"] == 1
    village = Village.objects.get(pk=world.a1v1.pk)
    assert (village.name, village.households, village.population, village.is_poverty_key) == (
        "东村新名",
        321,
        1234,
        True,
    )


def test_cadre_update_keeps_department_when_column_is_absent(world, write_xlsx):
    cadre = f.CadreFactory(village=world.a1v1, name="孙八", department=world.ad1, phone="13800000001")
    sheets = {
        "干部": [
            ["姓名", "性别", "出生日期", "乡镇代码", "村代码", "联系电话"],
            ["孙八", "男", cadre.birth_date, "01", "001", "13900000002"],
        ]
    }
    plan = run(world, write_xlsx, sheets)
    assert plan.errors == [] and plan.counts["cadres"]["update"] == 1
    cadre.refresh_from_db()
    assert (cadre.phone, cadre.department, cadre.party_joined_on) == (
        "13900000002",
        world.ad1,
        datetime.date(2005, 7, 1),
    )


def test_command_reports_a_database_refusal_and_writes_nothing(world, write_xlsx, monkeypatch):
    def boom(self, *args, **kwargs):
        raise IntegrityError("simulated")

    monkeypatch.setattr(Plan, "_apply_positions", boom)
    path = write_xlsx(kind_sheet(Kind.TOWNSHIPS, ["08", "新镇", 0]))
    with pytest.raises(CommandError, match="数据库拒绝"):
        call_command("import_registry", path, "--county", "A")
    assert not Township.objects.filter(code="08").exists()

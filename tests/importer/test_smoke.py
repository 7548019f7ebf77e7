import datetime

from cadres.models import Cadre, Position
from tests.importer.conftest import kind_sheet
from villages.importer import services
from villages.importer.schema import Kind
from villages.models import Township, Village


def test_import_creates_then_reimport_changes_nothing(world, write_xlsx):
    sheets = {}
    sheets.update(kind_sheet(Kind.TOWNSHIPS, ["03", "甲三镇", 1200]))
    sheets.update(
        kind_sheet(
            Kind.VILLAGES,
            ["03", "001", "新村", "是", "否", 10, 30],
            ["01", "001", "东村改", "否", "否", 300, 1100],
        )
    )
    sheets.update(
        kind_sheet(
            Kind.CADRES,
            [
                "王五",
                "男",
                "1980/3/1",
                None,
                "高中/中专",
                "2005年7月1日",
                13800138000.0,
                "03",
                "1.0".replace("1.0", "001"),
                None,
            ],
        )
    )
    sheets.update(
        kind_sheet(
            Kind.POSITIONS,
            ["王五", datetime.date(1980, 3, 1), "村党组织书记", "03", "001", None, "2021-01-01", None],
        )
    )
    path = write_xlsx(sheets)
    plan = services.registry_import(path=path, county=world.county_a)
    assert plan.errors == []
    assert plan.counts["townships"] == {"create": 1, "update": 0, "unchanged": 0}
    assert plan.counts["villages"] == {"create": 1, "update": 1, "unchanged": 0}
    assert Township.objects.filter(county=world.county_a, code="03").exists()
    assert Village.objects.get(township=world.a1, code="001").name == "东村改"
    cadre = Cadre.objects.get(name="王五")
    assert cadre.phone == "13800138000" and cadre.birth_date == datetime.date(1980, 3, 1)
    assert Position.objects.get(cadre=cadre).kind == Position.Kind.SECRETARY
    again = services.registry_import(path=path, county=world.county_a)
    assert again.errors == []
    assert all(c["create"] == 0 and c["update"] == 0 for c in again.counts.values())

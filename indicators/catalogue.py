"""The built-in indicators of a village's yearly sheet: what each is, where it comes from, how it reads.

Three sources:

- **entered** by the township or the village (party members are not in the registry): a column of
  ``IndicatorSheet`` each, never negative, a part never above its whole;
- **derived** from the registry's positions as they stood on a date (``indicators.derived``):
  shown with that date, never typed, stored on the sheet only when it is frozen;
- **computed** shares of two figures (members under 35 ÷ members, …): never typed, never stored.

A county switches built-in indicators off (``IndicatorSetting``) and adds its own (``ExtraIndicator``,
always entered). Targets name indicators by ``code``.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Source:
    ENTERED = "entered"
    DERIVED = "derived"
    COMPUTED = "computed"


class Type:
    COUNT = "count"  # a whole number of 0 or more; totals add up
    AMOUNT = "amount"  # a decimal of 0 or more (万元, days); totals add up
    AREA = "area"  # m², a whole number; totals add up
    YES_NO = "yes_no"  # derived flags; the total counts the villages with "yes"
    AGE = "age"  # years; only the mean means something
    YEARS = "years"  # years in post; only the mean means something
    EDUCATION = "education"  # the secretary's education; rolled up as the share with senior school or more
    CONDITION = "condition"  # the activity venue's condition (a choice); rolled up as the share "good"
    SHARE = "share"  # a computed percentage


ADDITIVE = (Type.COUNT, Type.AMOUNT, Type.AREA, Type.YES_NO)
# Choices, not numbers: no target can be set on them.
NOT_NUMERIC = (Type.EDUCATION, Type.CONDITION)


@dataclass(frozen=True)
class Definition:
    code: str
    label: object
    group: str
    source: str
    type: str = Type.COUNT
    unit: object = ""
    # A part names its whole: the part can never exceed it, and is entered only once the whole is.
    whole: str = ""
    # A computed share: numerator ÷ denominator, in percent.
    numerator: str = ""
    denominator: str = ""
    help: object = ""
    # The label standing alone (outside its group, e.g. in a target): "Members under 35", not "of whom …".
    title: object = ""
    # A county's own indicator (``ExtraIndicator``): its id; 0 for the built-in ones.
    extra_id: int = 0

    @property
    def name(self):
        return self.title or self.label

    @property
    def is_entered(self):
        return self.source == Source.ENTERED

    @property
    def is_derived(self):
        return self.source == Source.DERIVED

    @property
    def is_computed(self):
        return self.source == Source.COMPUTED

    @property
    def additive(self):
        return self.type in ADDITIVE

    @property
    def builtin(self):
        return not self.extra_id


class Group:
    MEMBERS = "members"
    DEVELOPMENT = "development"
    CADRES = "cadres"
    ECONOMY = "economy"
    ACTIVITIES = "activities"
    SUPPORT = "support"
    COUNTY = "county"


GROUP_LABELS = {
    Group.MEMBERS: _("Party members"),
    Group.DEVELOPMENT: _("Developing members"),
    Group.CADRES: _("Village cadres"),
    Group.ECONOMY: _("Cooperatives and collective economy"),
    Group.ACTIVITIES: _("Organization life and training"),
    Group.SUPPORT: _("Venue and support"),
    Group.COUNTY: _("The county's own indicators"),
}
GROUP_ORDER = list(GROUP_LABELS)

E, D, C = Source.ENTERED, Source.DERIVED, Source.COMPUTED
PERSONS = pgettext_lazy("unit", "persons")
TIMES = pgettext_lazy("unit", "times")

DEFINITIONS = [
    # Party members (entered: members are not in the registry).
    Definition("members", _("Party members"), Group.MEMBERS, E, unit=PERSONS),
    Definition(
        "members_under_35",
        _("of whom under 35"),
        Group.MEMBERS,
        E,
        unit=PERSONS,
        whole="members",
        title=_("Members under 35"),
    ),
    Definition(
        "members_women",
        _("of whom women"),
        Group.MEMBERS,
        E,
        unit=PERSONS,
        whole="members",
        title=_("Women members"),
    ),
    Definition(
        "members_high_school",
        _("of whom with senior middle school or more"),
        Group.MEMBERS,
        E,
        unit=PERSONS,
        whole="members",
        title=_("Members with senior middle school or more"),
    ),
    Definition(
        "members_under_35_share",
        _("Share of members under 35"),
        Group.MEMBERS,
        C,
        Type.SHARE,
        numerator="members_under_35",
        denominator="members",
    ),
    Definition(
        "members_women_share",
        _("Share of women members"),
        Group.MEMBERS,
        C,
        Type.SHARE,
        numerator="members_women",
        denominator="members",
    ),
    Definition(
        "members_high_school_share",
        _("Share of members with senior middle school or more"),
        Group.MEMBERS,
        C,
        Type.SHARE,
        numerator="members_high_school",
        denominator="members",
    ),
    # Developing members.
    Definition("new_members", _("New members developed this year"), Group.DEVELOPMENT, E, unit=PERSONS),
    Definition(
        "new_members_under_35",
        _("of whom under 35"),
        Group.DEVELOPMENT,
        E,
        unit=PERSONS,
        whole="new_members",
        title=_("New members under 35"),
    ),
    Definition("activists", _("Activists applying to join"), Group.DEVELOPMENT, E, unit=PERSONS),
    # Village cadres (derived from the registry's positions).
    Definition(
        "reserve_cadres",
        _("Reserve cadres"),
        Group.CADRES,
        D,
        unit=PERSONS,
        help=_("Sitting reserve-cadre positions of the village"),
    ),
    Definition(
        "is_secretary_and_director",
        _("Secretary also village-committee director"),
        Group.CADRES,
        D,
        Type.YES_NO,
        help=_("The sitting secretary also holds the sitting director position (一肩挑)"),
    ),
    Definition(
        "secretary_age",
        _("Secretary's age"),
        Group.CADRES,
        D,
        Type.AGE,
        unit=pgettext_lazy("unit", "years old"),
    ),
    Definition("secretary_education", _("Secretary's education"), Group.CADRES, D, Type.EDUCATION),
    Definition(
        "secretary_years",
        _("Secretary's years in post"),
        Group.CADRES,
        D,
        Type.YEARS,
        unit=pgettext_lazy("unit", "years"),
        help=_("Whole years since the sitting secretary's position started"),
    ),
    Definition(
        "committee_members",
        _("Village-committee members"),
        Group.CADRES,
        D,
        unit=PERSONS,
        help=_("Sitting director and village-committee member positions"),
    ),
    Definition(
        "cross_appointed",
        _("of whom party members (cross-appointment)"),
        Group.CADRES,
        D,
        unit=PERSONS,
        whole="committee_members",
        title=_("Village-committee members who are party members"),
        help=_("Village-committee members who had joined the party by that date (交叉任职)"),
    ),
    Definition(
        "cross_appointed_share",
        _("Share of village-committee members who are party members"),
        Group.CADRES,
        C,
        Type.SHARE,
        numerator="cross_appointed",
        denominator="committee_members",
    ),
    # Cooperatives and the collective economy.
    Definition(
        "cooperatives", _("Farmers' cooperatives"), Group.ECONOMY, E, unit=pgettext_lazy("unit", "units")
    ),
    Definition(
        "cooperatives_with_party_org",
        _("of which with a party organization"),
        Group.ECONOMY,
        E,
        unit=pgettext_lazy("unit", "units"),
        whole="cooperatives",
        title=_("Cooperatives with a party organization"),
    ),
    Definition(
        "cooperative_coverage",
        _("Party-organization coverage of cooperatives"),
        Group.ECONOMY,
        C,
        Type.SHARE,
        numerator="cooperatives_with_party_org",
        denominator="cooperatives",
    ),
    Definition(
        "collective_income",
        _("Collective income"),
        Group.ECONOMY,
        E,
        Type.AMOUNT,
        unit=pgettext_lazy("unit", "10,000 yuan"),
    ),
    # 三会一课 and training.
    Definition("branch_congresses", _("Branch congresses held"), Group.ACTIVITIES, E, unit=TIMES),
    Definition("committee_meetings", _("Branch committee meetings held"), Group.ACTIVITIES, E, unit=TIMES),
    Definition("group_meetings", _("Party group meetings held"), Group.ACTIVITIES, E, unit=TIMES),
    Definition("party_lessons", _("Party lessons given"), Group.ACTIVITIES, E, unit=TIMES),
    Definition(
        "training_days",
        _("Training days of village cadres"),
        Group.ACTIVITIES,
        E,
        Type.AMOUNT,
        unit=pgettext_lazy("unit", "days"),
    ),
    # Venue and support.
    Definition("venue_area", _("Activity venue area"), Group.SUPPORT, E, Type.AREA, unit="m²"),
    Definition("venue_condition", _("Activity venue condition"), Group.SUPPORT, E, Type.CONDITION),
    Definition(
        "has_first_secretary",
        _("First secretary in the village"),
        Group.SUPPORT,
        D,
        Type.YES_NO,
        help=_("A sitting first-secretary position"),
    ),
    Definition(
        "working_group_members",
        _("Resident working-group members"),
        Group.SUPPORT,
        D,
        unit=PERSONS,
        help=_("Sitting resident working-group member positions"),
    ),
]

BY_CODE = {d.code: d for d in DEFINITIONS}
ENTERED = [d for d in DEFINITIONS if d.is_entered]
DERIVED = [d for d in DEFINITIONS if d.is_derived]
COMPUTED = [d for d in DEFINITIONS if d.is_computed]
ENTERED_CODES = [d.code for d in ENTERED]
DERIVED_CODES = [d.code for d in DERIVED]
# Parts and their wholes, among entered and derived figures.
PARTS = [(d.code, d.whole) for d in DEFINITIONS if d.whole]
CODE_CHOICES = [(d.code, d.label) for d in DEFINITIONS]


def definition(code):
    return BY_CODE.get(code)

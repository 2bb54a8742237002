"""Success criteria → targets (CONVENTIONS.md) and the SMART checks built on them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import xlgoals
from xlgoals.criteria import evaluation_kinds, parse_targets, smart_issues
from xlgoals.model import Comparator, Horizon

GOLD = Path(__file__).parent / "data" / "criteria_gold.json"
FIELDS = ("comparator", "value", "unit", "deadline", "horizon", "subject")
FIELDS += ("baseline", "relative_to", "value_max")

SEED_111 = (
    "… der ved udgangen af 2015 er mindst 80 % af medlemmerne i kompetenceteamene, der "
    "mener, at børnepolitikkens værdier og intentioner er forankret. På længere sigt 95 %."
)
SEED_112 = (
    "… der ved udgangen af 2015 er mindst 60 %, der mener, at der i høj grad er en fælles "
    "opfattelse af, hvornår der er grund til bekymring og at 95 % mener, at der er fælles "
    "redskaber til at understøtte arbejdet."
)


def _as_gold(target) -> dict:
    """A parsed Target in the gold file's shape (numbers rounded to 6 decimals)."""
    data = target.model_dump(mode="json", exclude={"text"})
    data["value"] = round(data["value"], 6)
    if data["value_max"] is not None:
        data["value_max"] = round(data["value_max"], 6)
    if data["baseline"]:
        data["baseline"]["value"] = round(data["baseline"]["value"], 6)
    return {field: data[field] for field in FIELDS}


def _expected(target: dict) -> dict:
    out = {field: target.get(field) for field in FIELDS}
    out["value"] = round(float(out["value"]), 6)
    if out["value_max"] is not None:
        out["value_max"] = round(float(out["value_max"]), 6)
    if out["baseline"]:
        out["baseline"] = {
            "value": float(out["baseline"]["value"]),
            "year": out["baseline"]["year"],
        }
    return out


def _gold_items() -> list[dict]:
    return json.loads(GOLD.read_text("utf-8"))["items"]


def test_gold_set_has_enough_real_and_constructed_sentences():
    items = _gold_items()
    assert len(items) >= 60
    real = [i for i in items if i["kind"] == "real"]
    assert len(real) >= 20
    assert all(i["source"] for i in real), "every real sentence names its source"
    assert {i["kind"] for i in items} == {"real", "constructed"}


def test_gold_accuracy_at_least_90_percent():
    items = _gold_items()
    exact = 0
    field_hits = dict.fromkeys(FIELDS, 0)
    field_total = 0
    failures = []
    for item in items:
        ref = dt.date.fromisoformat(item["reference"]) if item["reference"] else None
        got = [_as_gold(t) for t in parse_targets(item["text"], ref)]
        want = [_expected(t) for t in item["targets"]]
        if got == want:
            exact += 1
        else:
            failures.append((item["text"], got, want))
        for g, w in zip(got, want, strict=False):
            field_total += 1
            for field in FIELDS:
                field_hits[field] += g[field] == w[field]
    heldout = [i for i in items if i.get("heldout")]
    accuracy = exact / len(items)
    print(f"\ncriteria gold: {exact}/{len(items)} sentences exact = {accuracy:.1%}")
    print(f"  ({len(heldout)} held-out sentences included)")
    missed = {text for text, _, _ in failures}
    for batch in sorted({str(i["heldout"]) for i in heldout}):
        in_batch = [i for i in heldout if str(i["heldout"]) == batch]
        now = sum(i["text"] not in missed for i in in_batch)
        print(f"  held-out batch {batch}: {now}/{len(in_batch)} exact now")
    for field, hits in field_hits.items():
        print(f"  {field:12s} {hits}/{field_total}")
    for text, got, want in failures:
        print(f"  MISS {text!r}\n    got  {got}\n    want {want}")
    assert accuracy >= 0.90


def test_every_heldout_round_was_moved_into_the_gold_set():
    heldout = json.loads((GOLD.parent / "criteria_heldout.json").read_text("utf-8"))["items"]
    gold = {(i["text"], i.get("heldout")) for i in _gold_items()}
    assert len(heldout) >= 90
    assert all((i["text"], i["heldout"]) in gold for i in heldout)


def test_seed_111_two_targets_deadline_and_long_term():
    first, second = parse_targets(SEED_111)
    assert (first.comparator, first.value, first.unit) == (Comparator.GE, 80, "%")
    assert (first.deadline, first.horizon) == (dt.date(2015, 12, 31), Horizon.DEADLINE)
    assert first.subject == (
        "medlemmerne i kompetenceteamene, der mener, at børnepolitikkens værdier og "
        "intentioner er forankret"
    )
    assert (second.comparator, second.value, second.unit) == (Comparator.GE, 95, "%")
    assert (second.deadline, second.horizon) == (None, Horizon.LONG_TERM)
    assert second.subject == first.subject


def test_seed_112_bare_value_inherits_comparator_and_deadline():
    first, second = parse_targets(SEED_112)
    assert (first.comparator, first.value, first.deadline) == (
        Comparator.GE,
        60,
        dt.date(2015, 12, 31),
    )
    assert (second.comparator, second.value, second.deadline) == (
        Comparator.GE,
        95,
        dt.date(2015, 12, 31),
    )
    assert "fælles redskaber" in second.subject and "fælles redskaber" not in first.subject


def test_parse_targets_is_exported_from_the_package():
    assert xlgoals.parse_targets is parse_targets


def test_seed_text_with_pdf_line_breaks_reads_the_same():
    broken = SEED_111.replace(" ", "\n", 7).replace("kompetenceteamene", "kompetence\u00adteamene")
    assert [t.value for t in parse_targets(broken)] == [80, 95]


@pytest.mark.parametrize(
    ("text", "comparator", "value", "unit"),
    [
        ("Højst 10 % venter over 4 uger.", "<=", 10, "%"),
        ("Sygefraværet må ikke overstige 5 %.", "<=", 5, "%"),
        ("Under 5 % af eleverne har fravær.", "<", 5, "%"),
        ("Færre end 20 børn venter på en plads.", "<", 20, "count"),
        ("Ingen børn venter på en plads.", "==", 0, "count"),
        ("Alle ledere har gennemført forløbet.", "==", 100, "%"),
        ("Antallet af anbragte børn halveres.", ">=", 50, "%-reduction"),
        ("Antallet af frivillige fordobles.", ">=", 100, "%-increase"),
        ("Kommunen er klimaneutral.", ">=", 100, "%-reduction"),
        ("Ledigheden falder med 2 procentpoint.", ">=", 2, "pp"),
        ("Udgifterne reduceres med 2,5 mio. kr.", ">=", 2.5, "DKK mio."),
        ("Der afholdes mindst 4 møder om året.", ">=", 4, "count per year"),
        ("Mål om 25 procent økologi.", ">=", 25, "%"),
    ],
)
def test_comparator_and_unit_words(text, comparator, value, unit):
    (target,) = parse_targets(text)
    assert (target.comparator.value, target.value, target.unit) == (comparator, value, unit)


def test_non_values_are_not_targets():
    assert parse_targets("Alle 25-årige skal have en plan; vi bruger skala 1-5.")[0].value == 100
    assert parse_targets("Borgerne får svar inden for 5 hverdage.") == []
    assert parse_targets("Andelen skal reduceres år for år.") == []
    assert parse_targets("Hvis budgettet tillader det, øges antallet med 20 %.") == []
    assert parse_targets("") == []


def test_inden_year_is_the_day_before_and_label_is_not_a_deadline():
    (target,) = parse_targets("Inden 2016 er mindst 80 % af lederne uddannet.")
    assert target.deadline == dt.date(2015, 12, 31)
    (label,) = parse_targets("Mindst 70 % er tilfredse, jf. budget 2026.")
    assert (label.deadline, label.horizon) == (None, Horizon.NONE)


def test_yearless_deadline_needs_a_reference_date():
    text = "Mindst 80 % har gennemført kurset inden sommerferien."
    assert parse_targets(text)[0].deadline is None
    assert parse_targets(text, dt.date(2026, 1, 15))[0].deadline == dt.date(2026, 6, 30)


def test_baseline_relative_to_and_range():
    (target,) = parse_targets("Andelen stiger fra 40 % i 2023 til mindst 55 % i 2027.")
    assert (target.value, target.baseline.value, target.baseline.year) == (55, 40, 2023)
    assert target.deadline == dt.date(2027, 12, 31)
    (change,) = parse_targets("Udledningen reduceres med 70 % i 2030 i forhold til 1990.")
    assert (change.unit, change.relative_to, change.deadline) == (
        "%-reduction",
        1990,
        dt.date(2030, 12, 31),
    )
    (rng,) = parse_targets("Mellem 80 og 90 % af pladserne er belagt.")
    assert (rng.value, rng.value_max) == (80, 90)


# ---------------------------------------------------------------------- SMART checks


def _codes(criteria: str, evaluation: str = "Spørgeskema") -> list[str]:
    return [issue.code for issue in smart_issues(criteria, evaluation)]


def test_smart_no_measurable_target():
    assert _codes("Der er skabt et fælles sprog på tværs af faggrupper.") == ["no_target"]
    assert "no_target" not in _codes(SEED_111)


def test_smart_target_without_deadline_or_horizon():
    assert _codes("Mindst 80 % af lederne er uddannet.") == ["no_timing"]
    assert "no_timing" not in _codes("Mindst 80 % af lederne er uddannet ultimo 2026.")


def test_smart_only_long_term():
    assert "only_long_term" in _codes("På længere sigt er 95 % af lederne uddannet.")
    assert "only_long_term" not in _codes(SEED_111, "Forespørgsel/spørgeskema fulgt op af dialog.")


def test_smart_method_cannot_produce_the_measure():
    seed_e = "Forespørgsel/ spørgeskema fulgt op af dialog."
    assert _codes(SEED_111, seed_e) == []
    assert _codes(SEED_111, "Dialog i chefgruppen.") == ["method_cannot_measure"]
    assert _codes(SEED_111, "Opgørelse fra fagsystemet.") == ["needs_survey", "needs_survey"]
    register = "Sagsbehandlingstiden er højst 30 dage ultimo 2026."
    assert _codes(register, "Udtræk fra fagsystemet") == []


def test_evaluation_kinds_vocabulary():
    assert evaluation_kinds("Forespørgsel/ spørgeskema fulgt op af dialog.") == {
        "survey",
        "qualitative",
    }
    assert evaluation_kinds("Dialogmøder") == {"qualitative"}
    assert evaluation_kinds("") == set()


# ------------------------------------------------ forms found in the held-out rounds


def test_table_pasted_as_text_is_read_by_column():
    table = "Indikator\tBaseline 2024\tMål 2027\nAndel elever, der trives\t82 %\t90 %"
    (target,) = parse_targets(table)
    assert (target.value, target.deadline) == (90, dt.date(2027, 12, 31))
    assert (target.baseline.value, target.baseline.year) == (82, 2024)
    assert target.subject == "Andel elever, der trives"
    rows = "Byggesag Servicemål\nEnfamiliehuse 40 dage\nEtagebyggeri, boliger 60 dage"
    assert [(t.subject, t.value) for t in parse_targets(rows)] == [
        ("Enfamiliehuse", 40),
        ("Etagebyggeri, boliger", 60),
    ]
    label_above = "Industri og lager\n\n6 uger"
    assert [(t.subject, t.unit) for t in parse_targets(label_above)] == [
        ("Industri og lager", "weeks")
    ]


def test_reported_states_are_not_targets():
    assert parse_targets("Opfølgning 2022 - 72,3 %\nBaseline: 76,4 %") == []
    assert parse_targets("De seneste tal fra 2016 viser, at ca. 30 pct. af børnene fik 02.") == []
    assert parse_targets("I 2020 var sygefraværet 12,2 dage i gennemsnit.") == []
    (goal,) = parse_targets("Målingen viser, at målet om 80 % i 2025 skal nås.")
    assert goal.value == 80
    (limit,) = parse_targets(
        "Tidsgrænsen er sat til 30 dage, var den typiske ventetid 46 dage i 2. kvartal i 2022."
    )
    assert (limit.value, limit.deadline) == (30, None)
    (own,) = parse_targets("Andelen, der var i job efter 3 måneder, er mindst 60 % i 2027.")
    assert (own.value, own.deadline) == (60, dt.date(2027, 12, 31))


@pytest.mark.parametrize(
    ("text", "comparator", "value", "unit"),
    [
        ("Målet er, at kun fire procent af borgerne ryger i 2025.", "<=", 4, "%"),
        ("Vision for 2025: at reducere antallet af rygere til 4 %.", "<=", 4, "%"),
        ("Ledningstabet reduceres til maximalt 5 % i 2020.", "<=", 5, "%"),
        ("Der må maksimalt være 36 personskader i 2015.", "<=", 36, "count"),
        ("Varmeforsyningen er CO2 neutral inden udgangen af 2025.", ">=", 100, "%-reduction"),
        ("Vi reducerer udledningen med 88 % i 2025 i forhold til 2015.", ">=", 88, "%-reduction"),
    ],
)
def test_comparator_words_found_in_real_criteria(text, comparator, value, unit):
    (target,) = parse_targets(text)
    assert (target.comparator.value, target.value, target.unit) == (comparator, value, unit)


def test_restatements_articles_and_earlier_clauses_are_not_read_as_targets():
    (target,) = parse_targets(
        "Vi udsorterer 65 % til genanvendelse i 2025, svarende til 7.516 tons."
    )
    assert target.value == 65
    assert parse_targets("Antallet af borgere, der cykler mindst en gang om ugen, øges.") == []
    (late,) = parse_targets(
        "Folketinget har i 2017 fastsat et mål om, at mindst 90 % er i job i 2030."
    )
    assert late.deadline == dt.date(2030, 12, 31)
    (both,) = parse_targets("Andelen fastholdes på mindst 60 % i 2026 og 2027.")
    assert both.deadline == dt.date(2027, 12, 31)
    (base,) = parse_targets("Målet er max. 4 pct. daglige rygere i 2025 mod 21 pct. i 2012.")
    assert (base.value, base.baseline.value, base.baseline.year) == (4, 21, 2012)
    (rel,) = parse_targets(
        "Udledningen reduceres med 80 % i 2050 i forhold til byens udslip i 1986."
    )
    assert rel.relative_to == 1986


def test_present_state_clauses_list_numbers_and_goal_labels():
    (goal,) = parse_targets(
        "Målet er, at under 5 procent ryger i 2030, men i dag ryger 22 procent."
    )
    assert (goal.comparator.value, goal.value) == ("<", 5)
    (rate,) = parse_targets(
        "Kommunen er tæt på at nå sit 2030-mål om genanvendelse af 60 % af affaldet, "
        "med en nuværende genanvendelsesrate på 59 %."
    )
    assert (rate.value, rate.deadline, rate.subject) == (
        60,
        dt.date(2030, 12, 31),
        "genanvendelse af affaldet",
    )
    assert parse_targets("I dag er der 17 % som ikke har fuldført en ungdomsuddannelse.") == []
    (listed,) = parse_targets("1. 90 % af de 25 årige har en ungdomsuddannelse i 2030.")
    assert (listed.value, listed.subject) == (90, "de 25 årige har en ungdomsuddannelse")
    (named,) = parse_targets(
        "Der er lang vej, hvis man skal nå målet om, at maksimalt 5 procent ryger i 2030."
    )
    assert (named.comparator.value, named.value) == ("<=", 5)
    assert parse_targets("Hvis alle initiativer gennemføres, er andelen 92 % i 2030.") == []
    (most,) = parse_targets("Ingen børn ryger og højest 5 % af de voksne ryger i 2030.")[1:]
    assert (most.comparator.value, most.value) == ("<=", 5)
    (young,) = parse_targets("Under fem procent af børnene, der er 13-14 år i dag, ryger i 2030.")
    assert young.value == 5


def test_service_deadlines_sections_and_restated_durations():
    (decision, delivery) = parse_targets(
        "Tidsfrist for afgørelse: Senest 3 hverdage.\n"
        "Tidsfrist for levering efter visitation: Senest 4 hverdage."
    )
    assert (decision.comparator.value, decision.value, decision.unit) == ("<=", 3, "days")
    assert (delivery.value, delivery.subject) == (4, "Tidsfrist for levering efter visitation")
    assert parse_targets("Svar inden for 5 hverdage.") == []
    (change,) = parse_targets("Skift af leverandør: 14 hverdage (2 uger)")
    assert (change.value, change.unit, change.subject) == (14, "days", "Skift af leverandør")
    (paragraph,) = parse_targets("Dækning af tabt arbejdsfortjeneste § 87\n\n12 uger")
    assert (paragraph.value, paragraph.subject) == (12, "Dækning af tabt arbejdsfortjeneste")
    (labelled,) = parse_targets("Diverse ansøgninger til Borgerservice\n\nMaksimalt 7 dage")
    assert (labelled.value, labelled.subject) == (7, "Diverse ansøgninger til Borgerservice")
    (first,) = parse_targets("Sagsbehandlingstid 4 uger. Lovgrundlag Serviceloven § 101 og 107")
    assert first.value == 4
    assert parse_targets("Den gennemsnitlige ventetid er i øjeblikket 15 dage.") == []


def test_attributed_and_emphatic_figures_are_reports():
    assert parse_targets("Ifølge undersøgelsen er 63 procent af alle rejser korte.") == []
    assert parse_targets("Hele 72 % af brugerne mener, at det er nemt.") == []
    assert parse_targets("Der er sket et fald på ca. 20 procent fra 18,1 % i 2014.") == []
    (goal,) = parse_targets("Ifølge planen skal 80 % af brugerne være tilfredse i 2027.")
    assert (goal.value, goal.deadline) == (80, dt.date(2027, 12, 31))


def test_questions_and_from_to_levels_with_a_population():
    assert parse_targets("Hvor meget rykker et fald fra 19,9 til 19 procent?") == []
    (level,) = parse_targets(
        "Målet er at mindske andelen af rygere fra 21,5 procent af befolkningen til 19 "
        "procent i 2022."
    )
    assert (level.comparator.value, level.value, level.baseline.value) == ("<=", 19, 21.5)


def test_scale_labels_response_rates_and_benchmarks_are_not_targets():
    (score,) = parse_targets(
        "Tilfredsheden er mindst 4,2 på en skala fra 1 til 5, hvor 1 er meget utilfreds og 5 "
        "er meget tilfreds."
    )
    assert (score.value, score.unit) == (4.2, "score (1-5)")
    assert parse_targets("Det svarer til en svarprocent på 31 %.") == []
    (own,) = parse_targets("Tilfredsheden er mindst 4,5, over landsgennemsnittet på 4,4.")
    assert own.value == 4.5
    assert parse_targets("I perioden 1990-2000 er skovarealet vokset med 40.000 ha.") == []


def test_a_sentence_opening_with_det_svarer_til_restates_the_target_before_it():
    """ "… med mindst 25 procent. Det svarer til … højst 4000 personer": one target, but a
    restatement phrase with no target before it leaves the value alone."""
    text = (
        "Antallet af hjemløse reduceres med mindst 25 procent. "
        "Det svarer til et niveau på højst 4000 personer."
    )
    (only,) = parse_targets(text)
    assert (only.comparator, only.value, only.unit) == (Comparator.GE, 25, "%-reduction")
    (alone,) = parse_targets("Det svarer til et niveau på højst 4000 personer.")
    assert (alone.comparator, alone.value, alone.unit) == (Comparator.LE, 4000, "count")


def test_alle_opening_a_direction_only_clause_is_no_target():
    """ "at alle børns skolefravær falder" says which way to move, not that all reach a level;
    "at alle borgere har tilbud om …" is still == 100 %."""
    assert parse_targets("at alle børns skolefravær falder.") == []
    (every,) = parse_targets("at alle borgere har tilbud om livslang dannelse.")
    assert (every.comparator, every.value, every.unit) == (Comparator.EQ, 100, "%")


def test_a_clause_opening_with_hvilket_svarer_til_restates_the_target():
    """Round 14: the restatement may open a clause after a comma, not only a sentence."""
    (only,) = parse_targets(
        "Vi har som mål, at 1.000 borgere får anvist en bolig i 2017, hvilket svarer til en "
        "stigning på 16 % i forhold til 2013."
    )
    assert (only.comparator, only.value, only.unit) == (Comparator.GE, 1000, "count")
    assert only.subject == "borgere får anvist en bolig"


def test_hver_tredje_is_a_share_and_numbers_in_compound_words_are_not_values():
    """ "Hver tredje" is 1/3; "14/21-genstandsgrænserne" names a limit, it is no value;
    "reduceres med en tredjedel" is a reduction."""
    share, cut = parse_targets(
        "Hver tredje ryger skal holde op, og antallet, der drikker mere end "
        "14/21-genstandsgrænserne, skal reduceres med en tredjedel."
    )
    assert (share.comparator, round(share.value, 4), share.unit) == (Comparator.GE, 33.3333, "%")
    assert (round(cut.value, 4), cut.unit) == (33.3333, "%-reduction")
    assert "14/21-genstandsgrænserne" in cut.subject


def test_ingen_with_a_coordinated_clause_that_opens_with_its_own_value():
    """ "ingen unge … og kun 5 % af de voksne …" holds two targets; a value inside the
    ingen clause ("Ingen børn og unge venter mere end 3 måneder") is its condition."""
    none, few = parse_targets(
        "Målet er, at ingen unge under 18 år ryger i 2030 og kun fem procent af den voksne "
        "befolkning ryger."
    )
    assert (none.comparator, none.value, none.unit) == (Comparator.EQ, 0, "count")
    assert (few.comparator, few.value, few.unit) == (Comparator.LE, 5, "%")
    assert none.subject == "unge under 18 år ryger"
    (condition,) = parse_targets("Ingen børn og unge venter mere end 3 måneder i 2027.")
    assert (condition.comparator, condition.value) == (Comparator.EQ, 0)
    assert condition.subject == "børn og unge venter mere end 3 måneder"


def test_a_level_reduced_to_another_is_the_baseline():
    """ "andelen på 20 % nedbringes til 10 %": 20 % is where it starts, not a reduction."""
    (level,) = parse_targets("Andelen af rygere på 20 % nedbringes til 10 % i 2030.")
    assert (level.comparator, level.value, level.unit) == (Comparator.LE, 10, "%")
    assert (level.baseline.value, level.subject) == (20, "Andelen af rygere")


def test_ned_paa_and_a_present_level_give_a_level_with_its_baseline():
    """Round 15: "der i dag er på 21,7 procent skal … ned på fem procent" and "reduceres fra
    nu 18,5 procent til 13 procent" are levels (`<=`) with the present level as baseline;
    a number word after a level verb is a level too."""
    (level,) = parse_targets(
        "Andelen af daglige rygere, der i dag er på 21,7 procent skal i 2030 ned på fem procent."
    )
    assert (level.comparator, level.value, level.baseline.value) == (Comparator.LE, 5, 21.7)
    (now,) = parse_targets("Antallet af daglige rygere skal reduceres fra nu 18,5 % til 13 %.")
    assert (now.comparator, now.value, now.baseline.value) == (Comparator.LE, 13, 18.5)
    (word,) = parse_targets("Andelen af rygere skal reduceres til fem procent.")
    assert (word.comparator, word.value) == (Comparator.LE, 5)


def test_ordinal_ranges_and_population_growth():
    """ "ved 9./10. klasse-prøven" holds no value; "befolkningstilvækst på mindst 0,5%" is an
    increase; "20% færre rygere" has the subject "rygere"."""
    (share,) = parse_targets(
        "andelen af elever, der opnår mindst 2 i dansk og matematik ved 9./10. klasse-prøven "
        "hæves til 92% i 2025"
    )
    assert (share.value, share.unit) == (92, "%")
    (growth,) = parse_targets("Årlig befolkningstilvækst på mindst 0,5%")
    assert (growth.comparator, growth.value, growth.unit) == (Comparator.GE, 0.5, "%-increase")
    (fewer,) = parse_targets("Der er 20% færre rygere i alle aldersgrupper i 2025.")
    assert (fewer.unit, fewer.subject) == ("%-reduction", "rygere i alle aldersgrupper")


def test_round_16_ages_between_reports_in_the_perfect_and_mens_siblings():
    """ "unge mellem 15 og 24 år" is an age range; "…, mens mindre end fem procent …" is a
    sibling of "ingen …"."""
    (half,) = parse_targets(
        "Målet er, at antallet af unge mellem 15 og 24 år uden job bliver halveret i 2030."
    )
    assert (half.value, half.unit) == (50, "%-reduction")
    (none, few) = parse_targets(
        "Målet er, at ingen børn ryger i 2030, mens mindre end fem procent af de voksne ryger."
    )
    assert (none.comparator, none.value, few.comparator, few.value) == (
        Comparator.EQ,
        0,
        Comparator.LT,
        5,
    )
    (goal,) = parse_targets("Andelen skal være steget med 5 procentpoint i 2025.")
    assert (goal.value, goal.unit) == (5, "pp")

"""The matrix reader on the layouts leaders really use, built as real .xlsx files."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import EVALUATION, HEADERS_DA, HEADERS_EN, OWNER, row_fields, write_workbook

from xlgoals.matrix import read_plan, split_owner
from xlgoals.model import Plan
from xlgoals.reader import read_workbook

pytestmark = pytest.mark.core


def tree(plan: Plan) -> list[tuple[str, str, str, str, int, str]]:
    """(political id, sub-goal id, action-goal id, sheet, row, action cell) in reading order."""
    return [
        (pg.id, sg.id, ag.id, ag.sheet, ag.row, ag.action.cell)
        for pg in plan.political_goals
        for sg in pg.sub_goals
        for ag in sg.action_goals
    ]


def read(path: Path) -> Plan:
    return read_plan(read_workbook(path))


def test_seed_layout_title_rows_letter_row_and_heading(tmp_path: Path) -> None:
    """The seed: 'Politisk mål' block, sub-goal heading, column-letter row, header, rows."""
    rows = [
        ["Politisk mål"],
        ["Den helhedsorienterede indsats"],
        ["Kommunen har en helhedsorienteret tilgang …"],
        [
            None,
            None,
            "Delmål 1.1. Derfor vil vi have et tværgående og grundlæggende børne- og familiesyn.",
        ],
        [None, None, "C", "D", "E", "F", "G"],
        [None, None, *HEADERS_DA],
        [None, None, *row_fields("… (1.1.1.) der arbejdes for at sikre et bredt ejerskab")],
        [None, None, *row_fields("… (1.1.2.) have en fælles tilgang og et fælles sprog")],
    ]
    plan = read(write_workbook(tmp_path / "seed.xlsx", {"Ark1": rows}))
    assert plan.political_goals[0].title == "Den helhedsorienterede indsats"
    assert plan.sub_goals()[0].id == "1.1"
    assert plan.sub_goals()[0].title.startswith("Have et tværgående")
    assert tree(plan) == [
        ("1", "1.1", "1.1.1", "Ark1", 7, "C7"),
        ("1", "1.1", "1.1.2", "Ark1", 8, "C8"),
    ]
    assert plan.matrices[0].header_row == 6
    goal = plan.action_goals()[0]
    assert goal.criteria.cell == "D7" and goal.owner_text.cell == "G7"
    assert goal.owner.person == "Claus Herbert"


def test_no_header_falls_back_to_columns_c_to_g(tmp_path: Path) -> None:
    rows = [
        ["Målmatrix 2025"],
        [],
        ["Delmål 1.1 Tidlig indsats"],
        [None, None, *row_fields("1.1.1 Alle sager screenes")],
        [],
        [None, None, *row_fields("1.1.2 Forældre inddrages")],
        ["Delmål 1.2 Tværfagligt samarbejde"],
        [None, None, *row_fields("Fælles møder hver måned")],
    ]
    plan = read(write_workbook(tmp_path / "noheader.xlsx", {"Plan": rows}))
    assert plan.matrices[0].header_row is None
    assert plan.matrices[0].columns["action"] == "C"
    assert tree(plan) == [
        ("1", "1.1", "1.1.1", "Plan", 4, "C4"),
        ("1", "1.1", "1.1.2", "Plan", 6, "C6"),
        ("1", "1.2", "1.2.1", "Plan", 8, "C8"),
    ]
    assert plan.action_goals()[2].id_from_text is False


def test_english_headers_with_columns_inserted_before_and_between(tmp_path: Path) -> None:
    header = ["#", "Notes", "Action goal", "Success criteria", "Comment", *HEADERS_EN[2:]]
    rows = [
        ["Political goal 3: Every child thrives"],
        header,
        ["Sub-goal 3.2 Parents are involved"],
        [
            None,
            "x",
            "(3.2.1.) Parents join every meeting",
            "at least 80 % by 2026",
            "note",
            EVALUATION,
            "• uge 10 2026",
            OWNER,
        ],
    ]
    plan = read(write_workbook(tmp_path / "english.xlsx", {"Sheet1": rows}))
    assert plan.matrices[0].columns == {
        "action": "C",
        "criteria": "D",
        "evaluation": "F",
        "timeplan": "G",
        "owner": "H",
    }
    assert tree(plan) == [("3", "3.2", "3.2.1", "Sheet1", 4, "C4")]
    goal = plan.action_goals()[0]
    assert goal.evaluation.text == EVALUATION
    assert goal.timeplan.cell == "G4"


def test_hierarchy_columns_filled_down(tmp_path: Path) -> None:
    rows = [
        ["Politisk mål", "Delmål", *HEADERS_DA],
        [
            "1. Den helhedsorienterede indsats",
            "1.1 Fælles børnesyn",
            *row_fields("Ejerskab til værdierne"),
        ],
        ["1. Den helhedsorienterede indsats", "1.1 Fælles børnesyn", *row_fields("Fælles sprog")],
        [
            "1. Den helhedsorienterede indsats",
            "1.2 Forældre inddrages",
            *row_fields("Forældremøder"),
        ],
        ["2. Tidlig indsats", "2.1 Screening", *row_fields("Alle screenes")],
    ]
    plan = read(write_workbook(tmp_path / "filled.xlsx", {"Matrix": rows}))
    assert [(p.id, p.title) for p in plan.political_goals] == [
        ("1", "Den helhedsorienterede indsats"),
        ("2", "Tidlig indsats"),
    ]
    assert tree(plan) == [
        ("1", "1.1", "1.1.1", "Matrix", 2, "C2"),
        ("1", "1.1", "1.1.2", "Matrix", 3, "C3"),
        ("1", "1.2", "1.2.1", "Matrix", 4, "C4"),
        ("2", "2.1", "2.1.1", "Matrix", 5, "C5"),
    ]


def test_hierarchy_columns_merged_down_without_numbers(tmp_path: Path) -> None:
    rows = [
        ["Politisk mål", "Delmål", *HEADERS_DA],
        ["Den helhedsorienterede indsats", "Fælles børnesyn", *row_fields("Ejerskab")],
        [None, None, *row_fields("Fælles sprog")],
        [None, "Forældre inddrages", *row_fields("Forældremøder")],
        [None, None, *row_fields("Forældreguide")],
    ]
    path = write_workbook(
        tmp_path / "merged.xlsx", {"Matrix": rows}, {"Matrix": ["A2:A5", "B2:B3", "B4:B5"]}
    )
    plan = read(path)
    assert len(plan.political_goals) == 1
    assert plan.political_goals[0].title == "Den helhedsorienterede indsats"
    assert [(s.id, s.title) for s in plan.sub_goals()] == [
        ("1.1", "Fælles børnesyn"),
        ("1.2", "Forældre inddrages"),
    ]
    assert [ag.id for ag in plan.action_goals()] == ["1.1.1", "1.1.2", "1.2.1", "1.2.2"]


def test_one_sheet_per_sub_goal(tmp_path: Path) -> None:
    sheet1 = [
        ["Delmål 1.1. Derfor vil vi have et fælles børnesyn"],
        [None, None, *HEADERS_DA],
        [None, None, *row_fields("… (1.1.1.) ejerskab")],
    ]
    sheet2 = [
        [None, None, *HEADERS_DA],
        [None, None, *row_fields("… (1.2.1.) forældre inddrages")],
        [None, None, *row_fields("… (1.2.2.) forældreguide")],
    ]
    path = write_workbook(
        tmp_path / "sheets.xlsx",
        {"Delmål 1.1": sheet1, "Delmål 1.2": sheet2, "Noter": [["fri tekst"]]},
    )
    plan = read(path)
    assert tree(plan) == [
        ("1", "1.1", "1.1.1", "Delmål 1.1", 3, "C3"),
        ("1", "1.2", "1.2.1", "Delmål 1.2", 2, "C2"),
        ("1", "1.2", "1.2.2", "Delmål 1.2", 3, "C3"),
    ]
    assert [m.sheet for m in plan.matrices] == ["Delmål 1.1", "Delmål 1.2"]


def test_several_political_goals_and_ids_from_position(tmp_path: Path) -> None:
    rows = [
        [None, None, *HEADERS_DA],
        ["Politisk mål 1: Helhed"],
        ["Delmål: Fælles syn"],
        [None, None, *row_fields("Ejerskab")],
        ["Politisk mål 2: Tidlig indsats"],
        ["Delmål: Screening"],
        [None, None, *row_fields("Alle screenes")],
        [None, None, *row_fields("Opfølgning")],
    ]
    plan = read(write_workbook(tmp_path / "two.xlsx", {"M": rows}))
    assert tree(plan) == [
        ("1", "1.1", "1.1.1", "M", 4, "C4"),
        ("2", "2.1", "2.1.1", "M", 7, "C7"),
        ("2", "2.1", "2.1.2", "M", 8, "C8"),
    ]
    assert all(not ag.id_from_text for ag in plan.action_goals())


def test_merged_action_goal_over_several_rows(tmp_path: Path) -> None:
    """One action goal whose C–E cells are merged down, one bullet per row in F."""
    rows = [
        [None, None, *HEADERS_DA],
        ["Delmål 1.1 Fælles syn"],
        [
            None,
            None,
            "… (1.1.1.) ejerskab",
            "mindst 80 % ved udgangen af 2015",
            EVALUATION,
            "• plan i sommeren 2014",
            "Forankret i chefgruppen",
        ],
        [
            None,
            None,
            None,
            None,
            None,
            "• dialogmøde i marts 2015",
            "– Claus Herbert er ansvarlig.",
        ],
        [None, None, None, None, None, "• opsamling ultimo 2015", None],
        [None, None, "… (1.1.2.) fælles sprog", "mindst 60 %", EVALUATION, "• primo 2015", OWNER],
    ]
    path = write_workbook(
        tmp_path / "multirow.xlsx", {"M": rows}, {"M": ["C3:C5", "D3:D5", "E3:E5"]}
    )
    plan = read(path)
    assert [ag.id for ag in plan.action_goals()] == ["1.1.1", "1.1.2"]
    first = plan.action_goals()[0]
    assert first.timeplan.text.splitlines() == [
        "• plan i sommeren 2014",
        "• dialogmøde i marts 2015",
        "• opsamling ultimo 2015",
    ]
    assert first.owner.person == "Claus Herbert"
    assert plan.matrices[0].last_row == 6


def test_id_column_blank_rows_and_late_header(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Kommunens målmatrix"], ["Planår: 2026"]]
    rows += [[] for _ in range(20)]
    rows.append(["Nr.", "Delmål", *HEADERS_DA])
    rows.append(["1.1.1", "1.1 Fælles syn", *row_fields("Ejerskab")])
    rows.append([])
    rows.append(["1.1.3", None, *row_fields("Fælles sprog")])
    plan = read(write_workbook(tmp_path / "late.xlsx", {"M": rows}))
    assert plan.plan_year == 2026
    assert plan.matrices[0].header_row == 23
    assert tree(plan) == [
        ("1", "1.1", "1.1.1", "M", 24, "C24"),
        ("1", "1.1", "1.1.3", "M", 26, "C26"),
    ]


def test_owned_status_columns_are_recognised(tmp_path: Path) -> None:
    from xlgoals.owned import owned_columns

    owned = [column.header("da") for column in owned_columns()[:2]]
    rows = [
        [None, None, *HEADERS_DA, *owned],
        ["Delmål 1.1 x"],
        [None, None, *row_fields("(1.1.1) a"), "OK", "82 %"],
    ]
    plan = read(write_workbook(tmp_path / "owned.xlsx", {"M": rows}))
    assert plan.matrices[0].owned_columns == {"status": "H", "result": "I"}
    assert plan.action_goals()[0].owner_text.text == OWNER


def test_sheets_owned_by_xlgoals_are_not_read_as_matrices(tmp_path: Path) -> None:
    rows = [[None, None, *HEADERS_DA], ["Delmål 1.1 x"], [None, None, *row_fields("(1.1.1) a")]]
    fake = [[None, None, *row_fields("(9.9.9) not a plan row")]]
    plan = read(write_workbook(tmp_path / "o.xlsx", {"M": rows, "Fund (xlgoals)": fake}))
    assert [ag.id for ag in plan.action_goals()] == ["1.1.1"]


@pytest.mark.parametrize(
    ("text", "body", "person", "role"),
    [
        (
            "Forankret i chefgruppen – Claus Herbert er ansvarlig.",
            "chefgruppen",
            "Claus Herbert",
            "ansvarlig",
        ),
        (
            "Forankret i chefgruppen –\nClaus Herbert er tovholder.",
            "chefgruppen",
            "Claus Herbert",
            "tovholder",
        ),
        (
            "Tovholder: Mette Frederiksen-Holm (Familieafdelingen)",
            None,
            "Mette Frederiksen-Holm",
            "tovholder",
        ),
        ("Chefgruppen", "Chefgruppen", None, None),
        ("Forankret i ledelsen", "ledelsen", None, None),
        ("Anne Marie Jensen, sekretariatet", "sekretariatet", "Anne Marie Jensen", None),
    ],
)
def test_owner_split(text: str, body: str | None, person: str | None, role: str | None) -> None:
    owner = split_owner(text)
    assert (owner.body, owner.person, owner.role) == (body, person, role)


def test_ten_thousand_rows(tmp_path: Path) -> None:
    rows: list[list[object]] = [[None, None, *HEADERS_DA]]
    for sub in range(1, 101):
        rows.append([f"Delmål 1.{sub} Delmål nummer {sub}"])
        for goal in range(1, 101):
            rows.append([None, None, *row_fields(f"({1}.{sub}.{goal}.) handling {goal}")])
    # One broken row in the middle: empty owner.
    rows[5000][6] = None
    plan = read(write_workbook(tmp_path / "big.xlsx", {"M": rows}))
    goals = plan.action_goals()
    assert len(goals) == 10_000
    assert len(plan.sub_goals()) == 100
    assert goals[-1].id == "1.100.100" and goals[-1].row == len(rows)
    assert [g.id for g in goals if not g.owner_text.text] == [goals[4949].id]


def test_one_table_per_sub_goal_on_one_sheet(tmp_path: Path) -> None:
    """Word-style: each sub-goal has its own heading, letter row and header on the same sheet."""
    rows = [
        ["Delmål 1.1. Derfor vil vi have et fælles børnesyn"],
        [None, None, "C", "D", "E", "F", "G"],
        [None, None, *HEADERS_DA],
        [
            None,
            None,
            "(det betyder, at…)",
            "(målet er nået, når…)",
            "(målemetode)",
            "(hvad skal ske? – hvornår?)",
            None,
        ],
        [None, None, *row_fields("… (1.1.1.) ejerskab")],
        [],
        ["Delmål 1.2. Derfor vil vi inddrage forældrene"],
        [None, None, "C", "D", "E", "F", "G"],
        [None, None, *HEADERS_DA],
        [None, None, *row_fields("… (1.2.1.) forældremøder")],
    ]
    plan = read(write_workbook(tmp_path / "tables.xlsx", {"Ark": rows}))
    assert tree(plan) == [
        ("1", "1.1", "1.1.1", "Ark", 5, "C5"),
        ("1", "1.2", "1.2.1", "Ark", 10, "C10"),
    ]


def test_matrix_in_columns_a_to_e_without_header(tmp_path: Path) -> None:
    rows = [
        ["Delmål 2.1 Tidlig opsporing"],
        row_fields("2.1.1 Alle sundhedsplejersker screener"),
        row_fields("2.1.2 Fælles skema"),
    ]
    plan = read(write_workbook(tmp_path / "ae.xlsx", {"Ark": rows}))
    assert plan.matrices[0].columns["action"] == "A" and plan.matrices[0].columns["owner"] == "E"
    assert [(ag.id, ag.action.cell, ag.owner_text.cell) for ag in plan.action_goals()] == [
        ("2.1.1", "A2", "E2"),
        ("2.1.2", "A3", "E3"),
    ]


def test_header_of_sub_captions_only_and_numbered_sub_goal_in_column_c(tmp_path: Path) -> None:
    rows = [
        [
            None,
            None,
            "(det betyder, at…)",
            "(målet er nået, når…)",
            "Målemetode",
            "(hvad skal ske? – hvornår?)",
            "Ansvarlig",
        ],
        [None, None, "1.3 Overblik over kompetencer"],
        [None, None, *row_fields("Kompetencekortlægning")],
    ]
    plan = read(write_workbook(tmp_path / "captions.xlsx", {"Ark": rows}))
    assert plan.matrices[0].header_row == 1
    assert tree(plan) == [("1", "1.3", "1.3.1", "Ark", 3, "C3")]


def test_compound_header_words_and_row_numbers_in_column_a(tmp_path: Path) -> None:
    rows = [
        [
            None,
            "Handlemål",
            "Succeskriterie",
            "Evalueringsmetode",
            "Tid og handleplan",
            "Ansvarlige",
        ],
        [None, "Delmål 1.1 Fælles syn"],
        [1, *row_fields("Ejerskab")],
        [2, *row_fields("Fælles sprog")],
        [3, *row_fields("Forældremøder")],
    ]
    plan = read(write_workbook(tmp_path / "compound.xlsx", {"Ark": rows}))
    assert plan.matrices[0].columns == {
        "action": "B",
        "criteria": "C",
        "evaluation": "D",
        "timeplan": "E",
        "owner": "F",
    }
    assert [p.id for p in plan.political_goals] == ["1"]
    assert tree(plan) == [
        ("1", "1.1", "1.1.1", "Ark", 3, "B3"),
        ("1", "1.1", "1.1.2", "Ark", 4, "B4"),
        ("1", "1.1", "1.1.3", "Ark", 5, "B5"),
    ]


def test_numbered_id_column_heading_with_title_in_next_cell_and_overordnet_maal(
    tmp_path: Path,
) -> None:
    rows = [
        ["Overordnet mål: Alle børn trives"],
        ["Handlemål nr.", "Handlemål", "Succeskriterier", "Evaluering", "Tidsplan", "Ansvarlig"],
        ["Delmål 1.2", "Inddrage forældrene"],
        ["1.2.1", *row_fields("Forældremøder hvert kvartal")],
        ["1.2.2", *row_fields("Forældreguide")],
    ]
    plan = read(write_workbook(tmp_path / "idcol.xlsx", {"Ark": rows}))
    assert plan.matrices[0].columns["action"] == "B"
    assert plan.political_goals[0].title == "Alle børn trives"
    assert [(s.id, s.title) for s in plan.sub_goals()] == [("1.2", "Inddrage forældrene")]
    assert tree(plan) == [
        ("1", "1.2", "1.2.1", "Ark", 4, "B4"),
        ("1", "1.2", "1.2.2", "Ark", 5, "B5"),
    ]
    assert plan.action_goals()[0].action.text == "Forældremøder hvert kvartal"


def test_action_goals_without_any_sub_goal_stay_in_the_tree(tmp_path: Path) -> None:
    """No heading, no hierarchy column, no ID: numbered from position under a placeholder
    sub-goal (implied, so MX004 asks for the heading), never left out of the JSON tree."""
    rows = [
        [None, None, *HEADERS_DA],
        [None, None, *row_fields("Ejerskab")],
        [None, None, *row_fields("Sprog")],
    ]
    plan = read(write_workbook(tmp_path / "flat.xlsx", {"Ark": rows}))
    assert tree(plan) == [
        ("1", "1.1", "1.1.1", "Ark", 2, "C2"),
        ("1", "1.1", "1.1.2", "Ark", 3, "C3"),
    ]
    assert plan.sub_goals()[0].implied and plan.orphan_action_goals == []


# Cells as they come out of the source document's PDF: hard line breaks mid-sentence, a
# word split over two lines, bullets wrapped over several lines with blank lines between.
PDF_C = "… (1.1.1.) der arbejdes \nfor at sikre et bredt \nejerskab af værdier \nog intentioner i den \nsammenhængende \nbørne-, unge- og \nfamiliepolitik. \nAnsvaret for \nejerskabet er \nforankret i ledelsen \npå alle niveauer.  "
PDF_D = "… der ved udgangen \naf 2015 er mindst \n80 % af \nmedlemmerne i \nkompetenceteame\nne, der mener, at \nbørnepolitikkens \nværdier og \nintentioner er \nforankret. På \nlængere sigt 95 \n%. "
PDF_E = "Forespørgsel/ \nspørgeskema \nfulgt op af \ndialog. "
PDF_F = (
    "• Der tilrettelægges en længere forankringsproces i \nløbet af 2014 og 2015. I sommeren 2014 (august-\n"
    "september) udarbejdes en plan for processen  \n\n• Information og dialog sker via ledermøder, møder i de \n"
    "enkelte dagtilbud, skoler m.v. og via den tværfaglige \nstruktur \n\n• Implementeringen understøttes af dialogmøder, \n"
    "uddannelsesforløb og temadage \n\n• Tilbagemelding til det politiske niveau sker på \ndialogmødet i marts 2015, samt ved opsamling på \n"
    "mål ultimo 2015 "
)
PDF_G = "Forankret i \nchefgruppen –  \n\nClaus Herbert \ner ansvarlig. "


def test_cells_pasted_from_the_source_pdf(tmp_path: Path) -> None:
    import datetime as dt

    from xlgoals.engine import analyse

    headers = [
        "Handlemål \n\n(det betyder, at...)",
        "Succeskriterier  \n\n(målet er nået, når…)",
        "Evaluering \n\n(målemetode)",
        "Tids- og handleplan \n\n(hvad skal ske? - hvornår?)",
        "Tovholder/ \n\nansvarlig",
    ]
    rows = [
        ["Delmål 1.1. Derfor vil vi have et tværgående og grundlæggende børne- og familiesyn."],
        [None, None, "C", "D", "E", "F", "G"],
        [None, None, *headers],
        [None, None, PDF_C, PDF_D, PDF_E, PDF_F, PDF_G],
    ]
    path = write_workbook(tmp_path / "pdf.xlsx", {"Ark1": rows})
    analysis = analyse(read_workbook(path), today=dt.date(2016, 1, 15))
    goal = analysis.plan.action_goals()[0]
    assert (goal.id, goal.action.cell) == ("1.1.1", "C4")
    assert (goal.owner.body, goal.owner.person, goal.owner.role) == (
        "chefgruppen",
        "Claus Herbert",
        "ansvarlig",
    )
    assert [(m.index, m.due, m.state) for m in goal.milestones] == [
        (1, dt.date(2015, 12, 31), "overdue"),
        (2, None, "undated"),
        (3, None, "undated"),
        (4, dt.date(2015, 12, 31), "overdue"),
    ]
    assert [
        (t.comparator.value, t.value, t.unit, t.deadline, t.horizon.value) for t in goal.targets
    ] == [
        (">=", 80.0, "%", dt.date(2015, 12, 31), "deadline"),
        (">=", 95.0, "%", None, "long_term"),
    ]
    assert [(f.rule, f.cell) for f in analysis.findings] == [("TL002", "F4"), ("TL002", "F4")]


def test_squash_folds_spaces_and_strips_lines():
    from xlgoals.textutil import squash

    assert squash("  a\u00a0 b\t\tc  ") == "a b c"
    assert squash(" • første  \n\n  • anden\u202fdel ") == "• første\n\n• anden del"
    assert squash("one line") == "one line"
    assert squash("a\u2003\nb") == "a\nb"  # other whitespace is stripped at line ends
    assert squash("\n\n") == ""

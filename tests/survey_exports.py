"""Synthetic survey exports in the shapes the tools produce (sources: data/survey/README.md).

Every builder writes one file (plus companions) from the same respondents below, so the
tests can compute the expected counts independently with a Counter over RESPONDENTS.
Names and e-mails are deliberately present in every export: the privacy test searches all
output for them.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import xlsxwriter

Q1 = "I hvilken grad oplever du, at kompetenceteamet har en fælles tilgang?"
Q2 = "Jeg er godt informeret om handleplanen for børne- og familieområdet"
Q3 = "Har du deltaget i et dialogmøde i år?"
Q4 = "Har du andre kommentarer?"

GRAD = {
    "1": "I meget høj grad",
    "2": "I høj grad",
    "3": "I nogen grad",
    "4": "I mindre grad",
    "5": "Slet ikke",
    "9": "Ved ikke",
}
ENIG = {
    "1": "Helt enig",
    "2": "Enig",
    "3": "Hverken enig eller uenig",
    "4": "Uenig",
    "5": "Helt uenig",
    "9": "Ved ikke/ikke relevant",
}
JANEJ = {"1": "Ja", "2": "Nej"}

# name, e-mail, q1, q2, q3, comment, status
RESPONDENTS: list[tuple[str, str, str | None, str | None, str | None, str, str]] = [
    (
        "Anna Sørensen",
        "anna.sorensen@kommune.dk",
        "I meget høj grad",
        "Helt enig",
        "Ja",
        "Godt initiativ, hilsen Anna Sørensen",
        "completed",
    ),
    (
        "Bjarne Holm",
        "bjarne.holm@kommune.dk",
        "I høj grad",
        "Enig",
        "Ja",
        "Mere tid til møderne, tak",
        "completed",
    ),
    (
        "Camilla Østergaard",
        "camilla.oestergaard@kommune.dk",
        "I høj grad",
        "Enig",
        "Nej",
        "Skriv til camilla.oestergaard@kommune.dk",
        "completed",
    ),
    (
        "Dennis Ågård",
        "dennis.aagaard@kommune.dk",
        "I nogen grad",
        "Hverken enig eller uenig",
        "Ja",
        "Ring på +45 12 34 56 78",
        "completed",
    ),
    (
        "Eva Lund",
        "eva.lund@kommune.dk",
        "Ved ikke",
        "Ved ikke/ikke relevant",
        "Nej",
        "Ved ikke hvad jeg skal skrive",
        "completed",
    ),
    (
        "Frederik Bøgh",
        "frederik.boegh@kommune.dk",
        "I mindre grad",
        "Uenig",
        "Ja",
        "For mange møder",
        "completed",
    ),
    ("Gitte Mørk", "gitte.moerk@kommune.dk", "Slet ikke", "Helt uenig", "Nej", "", "completed"),
    (
        "Hans Jørgen Friis",
        "hans.friis@kommune.dk",
        "I høj grad",
        "Enig",
        "Ja",
        "Bedre koordinering med skolerne",
        "completed",
    ),
    (
        "Ida Kjær",
        "ida.kjaer@kommune.dk",
        "I meget høj grad",
        "Helt enig",
        "Ja",
        "Tak for et godt forløb",
        "completed",
    ),
    ("Jens Berg", "jens.berg@kommune.dk", None, "Enig", "Ja", "", "completed"),
    (
        "Karen Vinther",
        "karen.vinther@kommune.dk",
        "I høj grad",
        "Ved ikke/ikke relevant",
        "Nej",
        "Dialogmøderne var gode men kunne være kortere",
        "completed",
    ),
    ("Lars Krogh", "lars.krogh@kommune.dk", "I nogen grad", "Enig", None, "Ok", "completed"),
    ("Mette Dahl", "mette.dahl@kommune.dk", "I høj grad", None, None, "", "partial"),
    ("Niels Broe", "niels.broe@kommune.dk", "Ved ikke", None, None, "", "partial"),
    ("Ole Rømer", "ole.roemer@kommune.dk", None, None, None, "", "not_responded"),
    ("Pia Skov", "pia.skov@kommune.dk", None, None, None, "", "not_responded"),
    ("Rasmus Krag", "rasmus.krag@kommune.dk", None, None, None, "", "not_responded"),
]

NAMES = [r[0] for r in RESPONDENTS]
EMAILS = [r[1] for r in RESPONDENTS]
SECRETS = NAMES + EMAILS + [n.split()[-1] for n in NAMES if len(n.split()[-1]) > 4]


def rows_with(statuses: set[str]) -> list[tuple]:
    return [r for r in RESPONDENTS if r[6] in statuses]


def expected(index: int, statuses: set[str], dont_know: set[str]) -> dict[str, object]:
    """Counts for question 1–3 over the respondents whose answers a tool counts."""
    values = [r[1 + index] for r in rows_with(statuses)]
    counts = Counter(v for v in values if v is not None)
    return {
        "answers": {k: v for k, v in counts.items() if k not in dont_know},
        "dont_know": sum(v for k, v in counts.items() if k in dont_know),
        "blank": sum(1 for v in values if v is None),
    }


DONT_KNOW = {"Ved ikke", "Ved ikke/ikke relevant"}
COUNTED = {"completed", "partial"}


def _code(table: dict[str, str], label: str | None) -> str:
    if label is None:
        return ""
    return next(code for code, text in table.items() if text == label)


# --- SurveyXact ---------------------------------------------------------------------------

SX_STATUS = {"not_invited": 1, "not_responded": 2, "partial": 3, "completed": 4, "excused": 5}
SX_HEADER = [
    "respondentid",
    "name",
    "email",
    "statcreation_1",
    "statoverall_1",
    "statoverall_2",
    "statoverall_3",
    "statoverall_4",
    "statoverall_5",
    "q1",
    "q2",
    "q3",
    "kommentar",
]


def _surveyxact_rows() -> list[list[object]]:
    rows: list[list[object]] = []
    for number, (name, email, q1, q2, q3, comment, status) in enumerate(RESPONDENTS):
        flags = [1 if SX_STATUS[status] == k else 0 for k in range(1, 6)]
        codes = [_code(GRAD, q1), _code(ENIG, q2), _code(JANEJ, q3)]
        rows.append(
            [825478400 + number, name, email, 1, *flags]
            + [int(c) if c else None for c in codes]
            + [comment]
        )
    return rows


def _surveyxact_labels() -> list[list[object]]:
    out: list[list[object]] = []
    for var, table in (("q1", GRAD), ("q2", ENIG), ("q3", JANEJ)):
        out += [[var, int(code), label] for code, label in table.items()]
    return out


SX_VARIABLES = [["Variable", "Label"], ["q1", Q1], ["q2", Q2], ["q3", Q3], ["kommentar", Q4]]


def surveyxact_xlsx(folder: Path) -> Path:
    """Dataset / Labels / Variables sheets, answers as numeric codes (9 = Ved ikke)."""
    path = folder / "dataset.xlsx"
    book = xlsxwriter.Workbook(path)
    data = book.add_worksheet("Dataset")
    data.write_row(0, 0, SX_HEADER)
    for r, row in enumerate(_surveyxact_rows(), start=1):
        for c, value in enumerate(row):
            if isinstance(value, str):
                data.write_string(r, c, value)
            elif value is not None:
                data.write_number(r, c, value)
    labels = book.add_worksheet("Labels")
    for r, row in enumerate(_surveyxact_labels()):
        labels.write_row(r, 0, row)
    variables = book.add_worksheet("Variables")
    for r, row in enumerate(SX_VARIABLES):
        variables.write_row(r, 0, row)
    book.close()
    return path


def _csv_text(rows: list[list[object]], delimiter: str, quoting: int = csv.QUOTE_MINIMAL) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue()


def surveyxact_csv_set(folder: Path, encoding: str = "utf-8-sig") -> Path:
    """dataset_NNN.csv with labels_NNN.csv and structure_NNN.csv beside it (';')."""
    path = folder / "dataset_1325978.csv"
    path.write_text(_csv_text([SX_HEADER, *_surveyxact_rows()], ";"), encoding=encoding)
    (folder / "labels_1325978.csv").write_text(
        _csv_text(_surveyxact_labels(), ";"), encoding=encoding
    )
    (folder / "structure_1325978.csv").write_text(_csv_text(SX_VARIABLES, ";"), encoding=encoding)
    return path


# --- Microsoft Forms ------------------------------------------------------------------------

FORMS_MULTI = "Hvilke fora deltager du i?"
FORMS_MULTI_ANSWERS = [
    "Dialogmøder;Kompetenceteam;",
    "Kompetenceteam;",
    "Chefgruppe;Dialogmøder;",
    "",
    "Dialogmøder;",
    "Kompetenceteam;Chefgruppe;",
    "Dialogmøder;",
    "Chefgruppe;",
    "Dialogmøder;Kompetenceteam;Chefgruppe;",
    "Kompetenceteam;",
    "",
    "Dialogmøder;",
]


def forms_xlsx(folder: Path) -> Path:
    """Forms' Excel download: ID, Start time, Completion time, Email, Name, questions."""
    path = folder / "Trivsel(1-12).xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("Sheet1")
    header = [
        "ID",
        "Start time",
        "Completion time",
        "Email",
        "Name",
        "Last modified time",
        Q1,
        Q2,
        Q3,
        FORMS_MULTI,
        Q4,
    ]
    sheet.write_row(0, 0, header)
    for r, (name, email, q1, q2, q3, comment, _) in enumerate(rows_with({"completed"}), 1):
        values = [
            r,
            "3/1/26 10:02:11",
            "3/1/26 10:05:40",
            email,
            name,
            "",
            q1,
            q2,
            q3,
            FORMS_MULTI_ANSWERS[r - 1],
            comment,
        ]
        for c, value in enumerate(values):
            if isinstance(value, int):
                sheet.write_number(r, c, value)
            elif value:
                sheet.write_string(r, c, value)
    book.close()
    return path


# --- Google Forms --------------------------------------------------------------------------


def google_csv(folder: Path) -> Path:
    """Google Sheets 'Download as CSV': ',', UTF-8 without BOM, quoted fields with ',' and
    line breaks inside them."""
    path = folder / "Trivsel (svar) - Formularsvar 1.csv"
    rows: list[list[object]] = [["Timestamp", "Email Address", Q1, Q2, Q3, Q4]]
    for name, email, q1, q2, q3, comment, _ in rows_with({"completed"}):
        text = f"{comment}\nmvh {name}" if comment else ""
        rows.append(["2026/03/01 10:02:11 AM CET", email, q1, q2, q3, text])
    path.write_text(_csv_text(rows, ","), encoding="utf-8")
    return path


# --- LimeSurvey ------------------------------------------------------------------------------

LS_CODES = {
    "G01Q01": {
        "AO01": "I meget høj grad",
        "AO02": "I høj grad",
        "AO03": "I nogen grad",
        "AO04": "I mindre grad",
        "AO05": "Slet ikke",
        "AO99": "Ved ikke",
    },
    "G01Q02": {
        "AO01": "Helt enig",
        "AO02": "Enig",
        "AO03": "Hverken enig eller uenig",
        "AO04": "Uenig",
        "AO05": "Helt uenig",
        "AO99": "Ved ikke/ikke relevant",
    },
    "G01Q03": {"AO01": "Ja", "AO02": "Nej"},
}


def limesurvey_csv(folder: Path) -> Path:
    """results-survey123456.csv (answer codes, question codes as headers, every field quoted)
    and limesurvey_survey_123456.txt (the tab-separated structure file) beside it."""
    path = folder / "results-survey123456.csv"
    header = [
        "id",
        "token",
        "submitdate",
        "lastpage",
        "startlanguage",
        "seed",
        "startdate",
        "datestamp",
        "ipaddr",
        "G01Q01",
        "G01Q02",
        "G01Q03",
        "G01Q04",
    ]
    rows: list[list[object]] = [header]
    for number, (name, _email, q1, q2, q3, comment, status) in enumerate(RESPONDENTS, 1):
        done = status == "completed"
        answered = status != "not_responded"
        codes = [
            next((c for c, t in LS_CODES[q].items() if t == label), "") if label else ""
            for q, label in zip(("G01Q01", "G01Q02", "G01Q03"), (q1, q2, q3), strict=True)
        ]
        rows.append(
            [
                number,
                f"tok{number:04d}{name.split()[0].lower()}",
                "2026-03-01 10:05:40" if done else "",
                2 if done else (1 if answered else ""),
                "da",
                1234567 + number,
                "2026-03-01 10:02:11",
                "2026-03-01 10:05:40",
                f"10.0.0.{number}",
                *codes,
                comment,
            ]
        )
    path.write_text(_csv_text(rows, ",", csv.QUOTE_ALL), encoding="utf-8")
    structure = [
        [
            "id",
            "related_id",
            "class",
            "type/scale",
            "name",
            "relevance",
            "text",
            "help",
            "language",
            "validation",
            "mandatory",
            "other",
            "default",
        ]
    ]
    structure.append(["", "", "S", "", "sid", "", "123456", "", "", "", "", "", ""])
    structure.append(["1", "", "G", "", "Trivsel", "1", "", "", "da", "", "", "", ""])
    texts = {"G01Q01": Q1, "G01Q02": Q2, "G01Q03": Q3, "G01Q04": Q4}
    for qid, (code, text) in enumerate(texts.items(), 1):
        kind = "T" if code == "G01Q04" else "L"
        structure.append(
            [str(qid), "", "Q", kind, code, "1", f"<p>{text}</p>", "", "da", "", "N", "N", ""]
        )
        for answer, label in LS_CODES.get(code, {}).items():
            structure.append(["", "", "A", "0", answer, "", label, "", "da", "", "", "", ""])
        for answer, label in LS_CODES.get(code, {}).items():
            structure.append(
                ["", "", "A", "0", answer, "", f"EN {label}", "", "en", "", "", "", ""]
            )
    (folder / "limesurvey_survey_123456.txt").write_text(
        _csv_text(structure, "\t"), encoding="utf-8"
    )
    return path


# --- Qualtrics -------------------------------------------------------------------------------

QX_META = [
    "StartDate",
    "EndDate",
    "Status",
    "IPAddress",
    "Progress",
    "Duration (in seconds)",
    "Finished",
    "RecordedDate",
    "ResponseId",
    "RecipientLastName",
    "RecipientFirstName",
    "RecipientEmail",
    "ExternalReference",
    "LocationLatitude",
    "LocationLongitude",
    "DistributionChannel",
    "UserLanguage",
]


def qualtrics_csv(folder: Path) -> Path:
    """Three header rows (names, question texts, ImportId JSON), choice texts as answers,
    UTF-8 with BOM; a preview response that must not count."""
    path = folder / "Trivsel_March+1,+2026_10.05.csv"
    names = [*QX_META, "Q1", "Q2", "Q3", "Q4_TEXT"]
    texts = [
        "Start Date",
        "End Date",
        "Response Type",
        "IP Address",
        "Progress",
        "Duration (in seconds)",
        "Finished",
        "Recorded Date",
        "Response ID",
        "Recipient Last Name",
        "Recipient First Name",
        "Recipient Email",
        "External Data Reference",
        "Location Latitude",
        "Location Longitude",
        "Distribution Channel",
        "User Language",
        Q1,
        Q2,
        Q3,
        f"{Q4} - Text",
    ]
    import_ids = [json.dumps({"ImportId": n[0].lower() + n[1:]}) for n in QX_META]
    import_ids += [json.dumps({"ImportId": i}) for i in ("QID1", "QID2", "QID3", "QID4_TEXT")]
    rows: list[list[object]] = [names, texts, import_ids]
    for number, (name, email, q1, q2, q3, comment, status) in enumerate(RESPONDENTS, 1):
        if status == "not_responded":
            continue
        done = status == "completed"
        first, last = name.split(" ", 1)
        rows.append(
            [
                "2026-03-01 10:02:11",
                "2026-03-01 10:05:40",
                "IP Address",
                f"192.168.1.{number}",
                100 if done else 35,
                209,
                "True" if done else "False",
                "2026-03-01 10:05:40",
                f"R_{number:03d}abcXYZ",
                last,
                first,
                email,
                f"EXT-{name.split()[0]}",
                "55.6761",
                "12.5683",
                "email",
                "DA",
                q1,
                q2,
                q3,
                comment,
            ]
        )
    rows.append(
        [
            "2026-02-28 09:00:00",
            "2026-02-28 09:01:00",
            "Survey Preview",
            "",
            100,
            60,
            "True",
            "2026-02-28 09:01:00",
            "R_preview",
            "",
            "",
            "",
            "",
            "",
            "",
            "preview",
            "DA",
            "Slet ikke",
            "Helt uenig",
            "Nej",
            "",
        ]
    )
    path.write_text(_csv_text(rows, ","), encoding="utf-8-sig")
    return path


# --- Danish Excel CSV --------------------------------------------------------------------------

DK_DEPT = "Afdeling"
DK_SCORE = "Samlet score"
DK_CODE = "Kode fra skemaet"
DK_SCORES = ["4,5", "3,0", "4,5", "2,5", "3,0", "1,5", "1,0", "4,0", "5,0", "3,5", "4,5", "3,0"]
DK_CODES = [
    "=1+2",
    "+45",
    "-",
    "@SUM(A1)",
    "=1+2",
    "\tTAB",
    "-",
    "+45",
    "=1+2",
    "@SUM(A1)",
    "-",
    "=1+2",
]
DK_DEPTS = [
    "Familie",
    "Skole",
    "Familie",
    "Dagtilbud",
    "Skole",
    "Familie",
    "Skole",
    "Dagtilbud",
    "Familie",
    "Skole",
    "Familie",
    "Skole",
]


def danish_excel_rows() -> list[list[str]]:
    """Title lines, header and rows as Danish Excel's 'CSV (semikolonsepareret)' saves them;
    'Enig' appears as 'Enig ' and 'Enig<NBSP>' as after copying from a web page."""
    rows: list[list[str]] = [["Medarbejderundersøgelse 2026"], ["Udtræk 01-03-2026"], []]
    rows.append(["Navn", "E-mail", DK_DEPT, DK_SCORE, Q1, Q2, DK_CODE])
    for i, (name, email, q1, q2, *_rest) in enumerate(rows_with({"completed"})):
        q2_text = q2 or ""
        if q2_text == "Enig":
            q2_text = ["Enig ", "Enig\u00a0", "Enig", " Enig"][i % 4]
        rows.append([name, email, DK_DEPTS[i], DK_SCORES[i], q1 or "", q2_text, DK_CODES[i]])
    return rows


def danish_excel_csv(folder: Path, encoding: str) -> Path:
    path = folder / f"trivsel-{encoding}.csv"
    text = _csv_text(danish_excel_rows(), ";")  # type: ignore[arg-type]
    path.write_bytes(text.encode(encoding))
    return path


# --- UTF-16 TAB ---------------------------------------------------------------------------------


def utf16_tab(folder: Path, encoding: str = "utf-16") -> Path:
    """'Unicode text' as Excel saves it: UTF-16 with BOM, TAB-separated."""
    path = folder / f"trivsel-{encoding}.txt"
    rows: list[list[object]] = [["Navn", "E-mail", Q1, Q2, Q3]]
    for name, email, q1, q2, q3, *_ in rows_with({"completed"}):
        rows.append([name, email, q1, q2, q3])
    text = _csv_text(rows, "\t")
    big = encoding == "utf-16-be"
    data = b"\xfe\xff" + text.encode("utf-16-be") if big else b"\xff\xfe" + text.encode("utf-16-le")
    path.write_bytes(data)
    return path


def all_exports(folder: Path) -> dict[str, Path]:
    """Every export shape, each in its own sub-folder (companion files stay apart)."""
    builders = {
        "surveyxact_xlsx": surveyxact_xlsx,
        "surveyxact_csv": surveyxact_csv_set,
        "forms_xlsx": forms_xlsx,
        "google_csv": google_csv,
        "limesurvey_csv": limesurvey_csv,
        "qualtrics_csv": qualtrics_csv,
        "danish_cp1252": lambda f: danish_excel_csv(f, "cp1252"),
        "danish_utf8_bom": lambda f: danish_excel_csv(f, "utf-8-sig"),
        "utf16le_tab": lambda f: utf16_tab(f, "utf-16"),
        "utf16be_tab": lambda f: utf16_tab(f, "utf-16-be"),
    }
    out = {}
    for key, build in builders.items():
        sub = folder / key
        sub.mkdir(parents=True, exist_ok=True)
        out[key] = build(sub)
    return out


# === Real-world variants (each with its own answers; expected counts are written by hand in
# tests/test_survey_variants.py). Sources for every shape: tests/data/survey/README.md. ===

V_NAMES = NAMES[:10]
V_EMAILS = EMAILS[:10]


def _xlsx(path: Path, sheets: dict[str, list[list[object]]], **extra: object) -> Path:
    """A workbook with plain cells: str as text (never formulas), numbers, datetimes."""
    import datetime as dt

    book = xlsxwriter.Workbook(path)
    stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, str) and value:
                    sheet.write_string(r, c, value)
                elif isinstance(value, bool) or value is None or value == "":
                    continue
                elif isinstance(value, int | float):
                    sheet.write_number(r, c, value)
                elif isinstance(value, dt.datetime):
                    sheet.write_datetime(r, c, value, stamp)
        setup = extra.get(name)
        if callable(setup):
            setup(book, sheet)
    book.close()
    return path


# --- Microsoft Forms, Danish UI ----------------------------------------------------------

FORMS_DA_Q = "Jeg er godt informeret om handleplanen"
FORMS_DA_MULTI = "Hvilke udsagn passer på dit team?"
FORMS_DA_ANSWERS = ["Helt enig", "Enig", "Enig", "Uenig", "Ved ikke", "Helt enig", "Enig", ""]
FORMS_DA_MULTI_ANSWERS = [
    "Enig;Helt enig;",
    "Enig;",
    "Uenig;",
    "Helt enig;",
    "",
    "Enig;Uenig;",
    "Ved ikke;",
    "Helt enig;Enig;",
]


def forms_danish_xlsx(folder: Path) -> Path:
    """Forms' Excel download with a Danish UI: Id, Starttidspunkt, Fuldførelsestidspunkt,
    Mail, Navn, Tidspunkt for seneste ændring (empty), then the questions."""
    import datetime as dt

    header = [
        "Id",
        "Starttidspunkt",
        "Fuldførelsestidspunkt",
        "Mail",
        "Navn",
        "Tidspunkt for seneste ændring",
        FORMS_DA_Q,
        FORMS_DA_MULTI,
    ]
    rows: list[list[object]] = [header]
    for i in range(8):
        start = dt.datetime(2026, 3, 2, 9, 10 + i, 5)
        rows.append(
            [
                i + 1,
                start,
                start + dt.timedelta(minutes=3, seconds=i),
                V_EMAILS[i],
                V_NAMES[i],
                None,
                FORMS_DA_ANSWERS[i],
                FORMS_DA_MULTI_ANSWERS[i],
            ]
        )
    return _xlsx(folder / "Trivsel i teamet(1-8).xlsx", {"Sheet1": rows})


FORMS_QUIZ_Q = "Which goal does your team work on first?"
FORMS_QUIZ_ANSWERS = ["Goal A", "Goal B", "Goal A", "Goal A", "Goal C", "Goal A", "Goal B", ""]


def forms_quiz_english_xlsx(folder: Path) -> Path:
    """Forms in English as a quiz: 'Last modified time' filled in, 'Total points',
    'Quiz feedback', and per question 'Points - …' and 'Feedback - …' columns."""
    import datetime as dt

    header = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"]
    header += ["Total points", "Quiz feedback", FORMS_QUIZ_Q, f"Points - {FORMS_QUIZ_Q}"]
    header += [f"Feedback - {FORMS_QUIZ_Q}", FORMS_DA_Q]
    rows: list[list[object]] = [header]
    for i in range(8):
        start = dt.datetime(2026, 3, 2, 9, 10 + i, 5)
        right = FORMS_QUIZ_ANSWERS[i] == "Goal A"
        rows.append(
            [
                *(i + 1, start, start + dt.timedelta(minutes=2), V_EMAILS[i], V_NAMES[i]),
                start + dt.timedelta(days=1),
                1 if right else 0,
                f"Well done, {V_NAMES[i].split()[0]}" if right else "",
                FORMS_QUIZ_ANSWERS[i],
                1 if right else 0,
                "Correct" if right else "See the action plan",
                FORMS_DA_ANSWERS[i],
            ]
        )
    return _xlsx(folder / "Quiz(1-8).xlsx", {"Sheet1": rows})


# --- Google Forms, Danish ------------------------------------------------------------------

GOOGLE_GRID = "Hvor enig er du i udsagnene?"
GOOGLE_GRID_ROWS = {
    "Samarbejde": ["Helt enig", "Enig", "Enig", "Uenig", "Helt enig", "", "Ved ikke", "Enig"],
    "Information": [
        "Enig",
        "Enig",
        "Helt uenig",
        "Enig",
        "Hverken enig eller uenig",
        "Enig",
        "Helt enig",
        "Uenig",
    ],
}
GOOGLE_CHECKBOX = "Hvilke fora deltager du i?"
GOOGLE_CHECKBOX_ANSWERS = [
    "Dialogmøder, Kompetenceteam",
    "Kompetenceteam",
    "Chefgruppe, Dialogmøder, Kompetenceteam",
    "",
    "Dialogmøder",
    "Chefgruppe",
    "Kompetenceteam, Chefgruppe",
    "Dialogmøder",
]
GOOGLE_COMMA_SINGLE = "Har du deltaget i et dialogmøde?"
GOOGLE_COMMA_ANSWERS = ["Ja", "Ja, delvist", "Nej", "Ja", "Ja, delvist", "Ja", "Nej", "Ja"]


def google_danish_csv(folder: Path) -> Path:
    """Google Sheets CSV of a Danish quiz form: Tidsstempel (Danish date format), Mailadresse,
    Score ("7 / 10"), grid columns 'Spørgsmål [Række]', checkboxes joined with ', '."""
    header = [
        "Tidsstempel",
        "Mailadresse",
        "Score",
        *(f"{GOOGLE_GRID} [{row}]" for row in GOOGLE_GRID_ROWS),
        GOOGLE_CHECKBOX,
        GOOGLE_COMMA_SINGLE,
    ]
    rows: list[list[object]] = [header]
    for i in range(8):
        rows.append(
            [
                f"02/03/2026 09.{10 + i}.05",
                V_EMAILS[i],
                f"{3 + i % 5} / 10",
                *(answers[i] for answers in GOOGLE_GRID_ROWS.values()),
                GOOGLE_CHECKBOX_ANSWERS[i],
                GOOGLE_COMMA_ANSWERS[i],
            ]
        )
    path = folder / "Trivsel (svar) - Formularsvar 1.csv"
    path.write_text(_csv_text(rows, ","), encoding="utf-8")
    return path


# --- SurveyXact dataset with real variable names ----------------------------------------------

# status, s_1 (GRAD, 9 = Ved ikke), s_2_1 and s_2_2 (ENIG, -1 = Ved ikke), afdeling
SXV_ROWS: list[tuple[str, str, str, str, str]] = [
    ("completed", "1", "1", "2", "Skole"),
    ("completed", "2", "2", "2", "Skole"),
    ("completed", "2", "-1", "1", "Familie"),
    ("completed", "3", "2", "4", "Familie"),
    ("completed", "9", "1", "-1", "Skole"),
    ("completed", "1", "3", "2", "Dagtilbud"),
    ("completed", "2", "2", "", "Skole"),
    ("partial", "4", "", "", "Familie"),
    ("not_responded", "", "", "", "Skole"),
    ("not_responded", "", "", "", "Familie"),
]
SXV_TEXTS = {
    "s_1": Q1,
    "s_2_1": "Hvor enig er du i følgende? - Vi samarbejder godt på tværs",
    "s_2_2": "Hvor enig er du i følgende? - Jeg kender handleplanen",
    "s_3": "Uddybende kommentarer",
}
SXV_LABELS = [
    *(["s_1", code, label] for code, label in GRAD.items()),
    *(
        [var, code, label]
        for var in ("s_2_1", "s_2_2")
        for code, label in {**{k: v for k, v in ENIG.items() if k != "9"}, "-1": "Ved ikke"}.items()
    ),
]
SXV_HEADER = [
    "respondentid",
    "email",
    "name",
    "created",
    "closetime",
    "lastchanged",
    "background_afdeling",
    "statcreation_1",
    "statoverall_1",
    "statoverall_2",
    "statoverall_3",
    "statoverall_4",
    "statoverall_5",
    "s_1",
    "s_2_1",
    "s_2_2",
    "s_3",
]


def _sxv_rows(code_text: bool) -> list[list[object]]:
    """Codes as numbers (xlsx) or as '1.0' text (a CSV saved from a float column)."""
    import datetime as dt

    out: list[list[object]] = []
    for i, (status, s1, s21, s22, dept) in enumerate(SXV_ROWS):
        flags = [1 if SX_STATUS[status] == k else 0 for k in range(1, 6)]
        created = dt.datetime(2026, 2, 20, 8, 0, i)
        closed = created + dt.timedelta(days=3, minutes=i) if status == "completed" else None
        codes: list[object] = [
            (f"{float(c):.1f}" if code_text else float(c)) if c else None for c in (s1, s21, s22)
        ]
        comment = f"Hilsen {V_NAMES[i]}" if status == "completed" else None
        if code_text:
            created_v: object = created.strftime("%d-%m-%Y %H:%M:%S")
            closed_v: object = closed.strftime("%d-%m-%Y %H:%M:%S") if closed else ""
        else:
            created_v, closed_v = created, closed
        out.append(
            [
                *(825478400 + i, V_EMAILS[i], V_NAMES[i], created_v, closed_v, closed_v, dept, 1),
                *flags,
                *codes,
                comment,
            ]
        )
    return out


def surveyxact_dataset_xlsx(folder: Path) -> Path:
    """SurveyXact's Excel dataset export: a 'Dataset' sheet that is not the first sheet,
    'Labels' (variable, value, label with a header row) and 'Variables' (variable, text)."""
    labels = [["Variable", "Value", "Label"], *SXV_LABELS]
    variables = [["Variable", "Label"], *([k, v] for k, v in SXV_TEXTS.items())]
    return _xlsx(
        folder / "dataset_1400123.xlsx",
        {
            "Variables": variables,
            "Labels": labels,
            "Dataset": [SXV_HEADER, *_sxv_rows(code_text=False)],
        },
    )


def surveyxact_danish_resaved_csv(folder: Path) -> Path:
    """The CSV set after a colleague opened and saved it in Danish Excel: cp1252, ';', the
    codes with a decimal comma ('1,0', '-1,0') and the 'sep=;' hint line."""
    path = folder / "dataset_1400124.csv"
    rows = _sxv_rows(code_text=True)
    for row in rows:
        row[:] = [v.replace(".0", ",0") if isinstance(v, str) else v for v in row]
    text = "sep=;\r\n" + _csv_text([SXV_HEADER, *rows], ";")
    path.write_bytes(text.encode("cp1252"))
    (folder / "labels_1400124.csv").write_bytes(_csv_text(SXV_LABELS, ";").encode("cp1252"))
    variables = [["variable", "text"], *([k, v] for k, v in SXV_TEXTS.items())]
    (folder / "variables_1400124.csv").write_bytes(_csv_text(variables, ";").encode("cp1252"))
    return path


def surveyxact_label_xlsx(folder: Path) -> Path:
    """SurveyXact's dataset exported 'with labels': the answers are the label texts, the
    Labels sheet is still there."""
    tables = {var: {c: lab for v, c, lab in SXV_LABELS if v == var} for var in SXV_TEXTS}
    rows = _sxv_rows(code_text=False)
    first = SXV_HEADER.index("s_1")
    for row in rows:
        for offset, var in enumerate(("s_1", "s_2_1", "s_2_2")):
            value = row[first + offset]
            if value is not None:
                row[first + offset] = tables[var][str(int(value))]  # type: ignore[arg-type]
    labels = [["Variable", "Value", "Label"], *SXV_LABELS]
    return _xlsx(
        folder / "dataset_labels_1400123.xlsx",
        {"Dataset": [SXV_HEADER, *rows], "Labels": labels},
    )


def surveyxact_float_codes_csv(folder: Path) -> Path:
    """The CSV set with the codes written '1.0', '9.0', '-1.0' (saved from a float column)."""
    path = folder / "dataset_1400123.csv"
    path.write_text(_csv_text([SXV_HEADER, *_sxv_rows(code_text=True)], ";"), "utf-8-sig")
    (folder / "labels_1400123.csv").write_text(_csv_text(SXV_LABELS, ";"), "utf-8-sig")
    variables = [["variable", "text"], *([k, v] for k, v in SXV_TEXTS.items())]
    (folder / "variables_1400123.csv").write_text(_csv_text(variables, ";"), "utf-8-sig")
    return path


# --- LimeSurvey: full headings and answers; codes with sub-questions ------------------------

LSF_Q1 = Q1
LSF_Q2 = "Hvor enig er du? [Samarbejde]"
# submitted, last page, Q1, Q2
LSF_ROWS: list[tuple[bool, str, str, str]] = [
    (True, "2", "I meget høj grad", "Helt enig"),
    (True, "2", "I høj grad", "Enig"),
    (True, "2", "No answer", "Enig"),
    (True, "2", "I høj grad", "N/A"),
    (True, "2", "Ved ikke", "Uenig"),
    (True, "2", "I nogen grad", "Enig"),
    (False, "1", "I høj grad", ""),
    (False, "", "", ""),
]


def limesurvey_full_csv(folder: Path) -> Path:
    """LimeSurvey 'Export responses' with full question text headings and full answers:
    Response ID, Date submitted, Last page, Start language, Seed, Token, Date started,
    Date last action, IP address (the field map's 'full' titles)."""
    header = [
        "Response ID",
        "Date submitted",
        "Last page",
        "Start language",
        "Seed",
        "Token",
        "Date started",
        "Date last action",
        "IP address",
        LSF_Q1,
        LSF_Q2,
    ]
    rows: list[list[object]] = [header]
    for i, (submitted, page, q1, q2) in enumerate(LSF_ROWS):
        rows.append(
            [
                i + 1,
                "2026-03-02 09:15:00" if submitted else "",
                page,
                "da",
                str(987650 + i * 37),
                f"tk{V_NAMES[i].split()[0].lower()}{i}",
                "2026-03-02 09:10:00",
                "2026-03-02 09:15:00",
                f"10.1.2.{i + 1}",
                q1,
                q2,
            ]
        )
    path = folder / "results-survey654321.csv"
    path.write_text(_csv_text(rows, ",", csv.QUOTE_ALL), encoding="utf-8")
    return path


LSC_SQ = {
    "SQ001": ["A1", "A2", "A2", "A3", "A9", ""],
    "SQ002": ["A2", "A2", "A4", "A5", "A1", "A2"],
}
LSC_ANSWERS = {
    "A1": "Helt enig",
    "A2": "Enig",
    "A3": "Hverken enig eller uenig",
    "A4": "Uenig",
    "A5": "Helt uenig",
    "A9": "Ved ikke",
}
LSC_SUB = {"SQ001": "Samarbejde", "SQ002": "Information"}
# a list question with "Other": the code '-oth-' and the typed text in G01Q02[other]
LSC_FORUM = ["A1", "A2", "-oth-", "A1", "A1", "-oth-"]
LSC_OTHER = ["", "", f"Fredagsmøder hos {V_NAMES[2]}", "", "", "Frokostklubben"]
LSC_FORUM_ANSWERS = {"A1": "Dialogmøder", "A2": "Chefgruppe"}


def limesurvey_array_csv(folder: Path) -> Path:
    """Code headings with array sub-questions (G01Q01[SQ001]), answer codes A1…A5/A9, and the
    tab-separated structure file (Q row, then SQ rows, then A rows) beside it."""
    header = ["id", "token", "submitdate", "lastpage", "startlanguage", "seed"]
    header += [f"G01Q01[{sq}]" for sq in LSC_SQ] + ["G01Q02", "G01Q02[other]"]
    rows: list[list[object]] = [header]
    for i in range(6):
        rows.append(
            [i + 1, f"tok{i}{V_NAMES[i].split()[0]}", "2026-03-02 09:15:00", 1, "da", 5550 + i]
            + [codes[i] for codes in LSC_SQ.values()]
            + [LSC_FORUM[i], LSC_OTHER[i]]
        )
    path = folder / "results-survey777777.csv"
    path.write_text(_csv_text(rows, ","), encoding="utf-8")
    head = ["id", "related_id", "class", "type/scale", "name", "relevance", "text", "help"]
    head += ["language", "validation", "mandatory", "encrypted", "other", "default"]
    structure: list[list[object]] = [head]
    structure.append(["", "", "S", "", "sid", "", "777777", "", "", "", "", "", "", ""])
    structure.append(["1", "", "G", "", "Trivsel", "1", "", "", "da", "", "", "", "", ""])
    structure.append(["10", "", "Q", "F", "G01Q01", "1", "<p>Hvor enig er du?</p>", ""])
    structure[-1] += ["da", "", "N", "N", "N", ""]
    for sq, text in LSC_SUB.items():
        structure.append(["", "", "SQ", "0", sq, "1", text, "", "da", "", "", "", "", ""])
    for code, label in LSC_ANSWERS.items():
        structure.append(["", "", "A", "0", code, "", label, "", "da", "", "", "", "", ""])
    structure.append(["11", "", "Q", "L", "G01Q02", "1", "Hvilket forum bruger du mest?", ""])
    structure[-1] += ["da", "", "N", "N", "Y", ""]
    for code, label in LSC_FORUM_ANSWERS.items():
        structure.append(["", "", "A", "0", code, "", label, "", "da", "", "", "", "", ""])
    (folder / "limesurvey_survey_777777.txt").write_text(
        _csv_text(structure, "\t"), encoding="utf-8"
    )
    return path


# --- Qualtrics numeric export with matrix sub-questions ----------------------------------

# Status (0 = IP Address, 1 = Survey Preview), Finished, Q1_1, Q1_2, Q2 (multiple answer:
# the chosen recode values joined with ',')
QXN_ROWS: list[tuple[str, str, str, str, str]] = [
    ("0", "1", "1", "2", "1,3"),
    ("0", "1", "2", "2", "2"),
    ("0", "1", "2", "3", "1"),
    ("0", "1", "4", "1", "1,2,3"),
    ("0", "0", "1", "", ""),
    ("1", "1", "5", "5", "3"),
    ("0", "1", "3", "2", "2,3"),
]


def qualtrics_numeric_csv(folder: Path) -> Path:
    """'Use numeric values': Status and Finished as numbers, matrix answers Q1_1/Q1_2 as
    recode values, Q_RecaptchaScore; row 2 'Question - Statement' texts, row 3 ImportIds."""
    meta = [*QX_META[:9], "RecipientEmail", "ExternalReference", "LocationLatitude"]
    meta += ["LocationLongitude", "DistributionChannel", "UserLanguage", "Q_RecaptchaScore"]
    names = [*meta, "Q1_1", "Q1_2", "Q2"]
    texts = [*meta, f"{GOOGLE_GRID} - Samarbejde", f"{GOOGLE_GRID} - Information"]
    texts.append("Hvilke fora deltager du i? - Selected Choice")
    ids = [json.dumps({"ImportId": m[0].lower() + m[1:]}) for m in meta]
    ids += [json.dumps({"ImportId": q}) for q in ("QID1_1", "QID1_2", "QID2")]
    rows: list[list[object]] = [names, texts, ids]
    for i, (status, finished, a, b, chosen) in enumerate(QXN_ROWS):
        rows.append(
            [
                "2026-03-02 09:10:00",
                "2026-03-02 09:15:00",
                status,
                f"172.16.0.{i + 1}",
                "100" if finished == "1" else "40",
                "300",
                finished,
                "2026-03-02 09:15:00",
                f"R_{i:02d}xYz",
                V_EMAILS[i],
                f"MED-{V_NAMES[i].split()[0]}",
                "55.40",
                "10.38",
                "anonymous" if status == "0" else "preview",
                "DA",
                "0.9",
                a,
                b,
                chosen,
            ]
        )
    path = folder / "Trivsel_numeric.csv"
    path.write_text(_csv_text(rows, ","), encoding="utf-8-sig")
    return path


# --- Danish Excel CSV quirks ------------------------------------------------------------------

DKQ_FIRST = ["Helt enig", "Enig", "Ikke relevant", "Enig", "Uenig", "Helt enig", "Enig", ""]
DKQ_SECOND = [
    "I høj grad",
    "I høj grad",
    "I nogen grad",
    "Ikke relevant",
    "I meget høj grad",
    "Slet ikke",
    "I høj grad",
    "I nogen grad",
]
DKQ_DEPTS = ["Skole", "Familie", "Skole", "Familie", "Skole", "Familie", "Skole", "Familie"]
DKQ_HOURS = ["1.234,5", "37,0", "1.234,5", "37,0", "15,25", "37,0", "1.000", "15,25"]


def danish_quirks_csv(folder: Path, encoding: str) -> Path:
    """Excel 'CSV (semikolonsepareret)' after a colleague's edits: the 'sep=;' hint line,
    a title, two columns with the same heading, trailing empty columns, a quoted comment with
    a line break, CRLF and LF mixed, thousands separators, and an 'I alt' footer row."""
    lines = ["sep=;", "Trivselsmåling 2026;;;;;;;;", ";;;;;;;;"]
    lines.append("Navn;Afdeling;Timer pr. uge;Trivsel;Trivsel;Kommentar;;;")
    for i in range(8):
        comment = f'"Godt år\nHilsen {V_NAMES[i]}"' if i % 3 == 0 else ""
        cells = [V_NAMES[i], DKQ_DEPTS[i], DKQ_HOURS[i], DKQ_FIRST[i], DKQ_SECOND[i], comment]
        lines.append(";".join(cells) + ";;;")
    lines.append(";;;;;;;;")
    lines.append("I alt;8;;7;8;;;;")
    text = "".join(line + ("\r\n" if n % 2 else "\n") for n, line in enumerate(lines))
    path = folder / f"trivsel-rettet-{encoding}.csv"
    data = text.encode(encoding)
    path.write_bytes(data)
    return path


# --- xlsx with several sheets, merged title, hidden columns -----------------------------------

MS_Q1 = Q1
MS_Q2 = "Jeg kender målene for mit team"
MS_Q1_ANSWERS = [
    "I høj grad",
    "I meget høj grad",
    "I høj grad",
    "Ved ikke",
    "I nogen grad",
    "I høj grad",
    "",
    "Slet ikke",
]
MS_Q2_ANSWERS = ["Enig", "Enig", "Helt enig", "Uenig", "Enig", "", "Helt enig", "Enig"]


def multi_sheet_xlsx(folder: Path) -> Path:
    """A workbook a colleague made: a cover sheet and a summary first, the answers on the
    third sheet under a merged title, with the e-mail column and one question hidden."""
    cover = [["Trivselsmåling 2026"], [], ["Udarbejdet af HR"], ["Se arket 'Svar'"]]
    summary = [["Spørgsmål", "Andel positive"], [MS_Q1, "57 %"], [MS_Q2, "71 %"]]
    answers: list[list[object]] = [["Trivselsmåling 2026 – alle svar"], []]
    answers.append(["Navn", "E-mail", "Afdeling", MS_Q1, MS_Q2])
    for i in range(8):
        answers.append([V_NAMES[i], V_EMAILS[i], DKQ_DEPTS[i], MS_Q1_ANSWERS[i], MS_Q2_ANSWERS[i]])

    def layout(book: xlsxwriter.Workbook, sheet: object) -> None:
        sheet.merge_range(0, 0, 0, 4, "Trivselsmåling 2026 – alle svar")  # type: ignore[attr-defined]
        sheet.set_column(1, 1, None, None, {"hidden": True})  # type: ignore[attr-defined]
        sheet.set_column(4, 4, None, None, {"hidden": True})  # type: ignore[attr-defined]

    return _xlsx(
        folder / "trivsel-samlet.xlsx",
        {"Forside": cover, "Oversigt": summary, "Svar": answers},
        Svar=layout,
    )


def variant_exports(folder: Path) -> dict[str, Path]:
    """Every variant, each in its own sub-folder (companion files stay apart)."""
    builders = {
        "forms_danish": forms_danish_xlsx,
        "forms_quiz_english": forms_quiz_english_xlsx,
        "google_danish": google_danish_csv,
        "surveyxact_dataset": surveyxact_dataset_xlsx,
        "surveyxact_float_csv": surveyxact_float_codes_csv,
        "surveyxact_labels": surveyxact_label_xlsx,
        "surveyxact_danish_csv": surveyxact_danish_resaved_csv,
        "limesurvey_full": limesurvey_full_csv,
        "limesurvey_array": limesurvey_array_csv,
        "qualtrics_numeric": qualtrics_numeric_csv,
        "danish_quirks_utf8": lambda f: danish_quirks_csv(f, "utf-8-sig"),
        "danish_quirks_cp1252": lambda f: danish_quirks_csv(f, "cp1252"),
        "multi_sheet": multi_sheet_xlsx,
    }
    out = {}
    for key, build in builders.items():
        sub = folder / key
        sub.mkdir(parents=True, exist_ok=True)
        out[key] = build(sub)
    return out

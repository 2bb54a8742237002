"""Lossless workbook writer: change only the cells and sheets xlgoals owns (surface).

openpyxl re-serialises every part of a workbook on save and silently drops what it does
not model (shapes, add-in parts, customXml, data bars, sparklines, cached values ...). A
leader's workbook must come back with everything it had, so this module patches the
``.xlsx``/``.xlsm`` zip archive directly:

* every zip entry it does not change is copied as its original raw bytes (local header,
  compressed data, data descriptor and central-directory record), in the original order;
* a patched worksheet is edited at the string level: only the touched ``<c>`` elements,
  the touched rows' ``spans`` and ``<dimension>`` change; nothing is re-serialised with an
  XML library (``xml.etree`` renames namespace prefixes and breaks ``mc:Ignorable``);
* owned sheets (overview, measurement plan, ...) are generated whole, created when missing
  and replaced when present, with an optional native bar chart;
* writes are atomic (temporary file in the same folder, then ``os.replace``), refuse a
  workbook that is open in Excel (its ``~$name.xlsx`` owner file), and are idempotent.

Public API: :func:`patch_workbook`, :class:`OwnedSheet`, :class:`BarChart`,
:class:`PatchReport`, :class:`CellChange`, :class:`WorkbookWriteError`, :class:`Phrase`.
Every text it shows is a key in ``data/messages/write.json`` (Danish and English).
"""

from __future__ import annotations

import bisect
import collections
import contextlib
import datetime as dt
import functools
import html
import io
import itertools
import math
import numbers
import os
import posixpath
import re
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from xlgoals.grid import CellValue, column_index, column_letter, parse_a1
from xlgoals.i18n import message
from xlgoals.owned import owned_spec

__all__ = [
    "BarChart",
    "CellChange",
    "OwnedSheet",
    "PatchReport",
    "Phrase",
    "UnsupportedWorkbookError",
    "WorkbookLockedError",
    "WorkbookWriteError",
    "default_owned_sheet_names",
    "excel_owner",
    "patch_workbook",
]

MAX_TEXT = 32767
"""Excel's cap on the characters (UTF-16 code units) in one cell."""
MAX_ROW = 1048576
MAX_COL = 16384

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_STRICT_MARK = "http://purl.oclc.org/ooxml/"
_REL_WORKSHEET = _NS_REL + "/worksheet"
_REL_DRAWING = _NS_REL + "/drawing"
_REL_CHART = _NS_REL + "/chart"
_REL_CALCCHAIN = _NS_REL + "/calcChain"
_REL_STYLES = _NS_REL + "/styles"
_REL_SST = _NS_REL + "/sharedStrings"
_CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_CT_DRAWING = "application/vnd.openxmlformats-officedocument.drawing+xml"
_CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CACHE_BUDGET = 64 * 1024 * 1024
"""Bytes of decompressed XML kept from the checksum pass, so parts are inflated once."""
_NEW_ENTRY_TIME = (1980, 1, 1, 0, 0, 0)
"""Timestamp of zip entries this module adds: fixed, so two runs give the same bytes."""


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True, slots=True)
class Phrase:
    """A message of `data/messages/write.json` and its arguments, rendered on demand in
    either language, so errors and warnings keep no English or Danish text of their own.

    An argument that is itself a Phrase is rendered in the same language."""

    key: str
    args: Mapping[str, object] = field(default_factory=dict)

    def text(self, lang: str = "en") -> str:
        """The message in `lang` ('da' or 'en')."""
        args = {k: v.text(lang) if isinstance(v, Phrase) else v for k, v in self.args.items()}
        return message(self.key, lang, **args)


class WorkbookWriteError(Exception):
    """A workbook could not be written: a message key (`write.*`) plus its arguments.

    The message names the file and, where relevant, the sheet and cell. Raised before
    anything is written: the original file is untouched whenever this is raised.
    """

    def __init__(
        self,
        key: str,
        *,
        path: str | os.PathLike[str],
        sheet: str | None = None,
        cell: str | None = None,
        **args: object,
    ) -> None:
        self.key = key
        self.args_map = args
        self.path = str(path)
        self.sheet = sheet
        self.cell = cell
        super().__init__(self.message("en"))

    @property
    def phrase(self) -> Phrase:
        """The message without the file, sheet and cell."""
        return Phrase(self.key, self.args_map)

    def message(self, lang: str = "en") -> str:
        """The message in `lang` ('da' or 'en'), prefixed by file, sheet and cell."""
        where = [self.path]
        if self.sheet is not None:
            where.append(message("write.at_sheet", lang, sheet=self.sheet))
        if self.cell is not None:
            where.append(message("write.at_cell", lang, cell=self.cell))
        return f"{', '.join(where)}: {self.phrase.text(lang)}"


class WorkbookLockedError(WorkbookWriteError):
    """The workbook is open in Excel (or LibreOffice) by someone."""


class UnsupportedWorkbookError(WorkbookWriteError):
    """Not a workbook this writer can patch losslessly (corrupt, encrypted, Strict, ...)."""


# --------------------------------------------------------------------------- public types


@dataclass(frozen=True, slots=True)
class BarChart:
    """A native Excel bar chart on an owned sheet, drawn from two of its columns.

    Columns are 0-based indexes or letters; the data are the rows below the header row.
    `direction` is "col" (vertical bars) or "bar" (horizontal bars).
    """

    title: str
    category_column: int | str
    value_column: int | str
    direction: str = "col"
    value_format: str = "General"
    value_min: float | None = None
    value_max: float | None = None
    first_row: int | None = None
    """1-based sheet row of the first data point (default 2, right below the header); the
    row above it names the series."""
    last_row: int | None = None
    """1-based sheet row of the last data point (default: the sheet's last row)."""
    anchor: tuple[int, int] | None = None
    """0-based (row, column) of the chart's top-left corner (default: right of the table)."""


@dataclass(frozen=True, slots=True)
class OwnedSheet:
    """A sheet xlgoals owns and writes whole: rows of values, the first row the header.

    `column_widths[i]` is the width of column i (None: default). `number_formats` maps a
    column (index or letter) to an Excel number format for its data rows, e.g. "0%".
    """

    rows: Sequence[Sequence[CellValue]]
    column_widths: Sequence[float | None] = ()
    bold_header: bool = True
    freeze_header: bool = True
    number_formats: Mapping[int | str, str] = field(default_factory=dict)
    chart: BarChart | None = None


@dataclass(frozen=True, slots=True)
class CellChange:
    """One cell whose value changes (or would change, in a dry run)."""

    sheet: str
    cell: str
    old: CellValue
    new: CellValue


@dataclass(slots=True)
class PatchReport:
    """What a patch changed (or, with ``dry_run``, would change)."""

    source: str
    output: str | None
    dry_run: bool
    changes: list[CellChange] = field(default_factory=list)
    sheets_created: list[str] = field(default_factory=list)
    sheets_replaced: list[str] = field(default_factory=list)
    parts_changed: list[str] = field(default_factory=list)
    parts_added: list[str] = field(default_factory=list)
    parts_removed: list[str] = field(default_factory=list)
    notices: list[Phrase] = field(default_factory=list)
    """Warnings (e.g. a text cut to Excel's limit), rendered per language."""
    written: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.parts_changed or self.parts_added or self.parts_removed)

    @property
    def warnings(self) -> list[str]:
        """The warnings in English."""
        return self.warnings_in("en")

    def warnings_in(self, lang: str = "en") -> list[str]:
        """The warnings in `lang` ('da' or 'en')."""
        return [notice.text(lang) for notice in self.notices]

    def lines(self, lang: str = "en") -> list[str]:
        """Human-readable lines, one per changed cell and sheet (for ``--dry-run``)."""
        out = []
        for name in self.sheets_created:
            out.append(message("write.report.new_sheet", lang, name=name))
        for name in self.sheets_replaced:
            out.append(message("write.report.sheet_replaced", lang, name=name))
        for ch in self.changes:
            out.append(f"{_quote_sheet(ch.sheet)}!{ch.cell}: {ch.old!r} -> {ch.new!r}")
        out.extend(self.warnings_in(lang))
        if not out:
            out.append(message("write.report.no_changes", lang))
        return out


def default_owned_sheet_names() -> frozenset[str]:
    """Every owned sheet name in `data/owned.json`, in both languages."""
    return frozenset(
        str(name) for names in owned_spec()["sheets"].values() for name in names.values()
    )


# --------------------------------------------------------------------------- zip layer


@dataclass(slots=True)
class _Member:
    """One zip entry: original raw bytes, or new content to be compressed."""

    name: str
    raw_local: bytes | None = None  # local header + data + descriptor, verbatim
    raw_central: bytes | None = None  # central directory record, verbatim
    info: zipfile.ZipInfo | None = None
    data: bytes | None = None  # new content (changed or added entry)
    zip64: bool = False  # the original headers carry ZIP64 fields
    payload: bytes = b""  # the original compressed data
    crc: int = 0
    usize: int = 0


def _split_extra(extra: bytes) -> list[tuple[int, bytes]]:
    blocks = []
    pos = 0
    while pos + 4 <= len(extra):
        hid, size = struct.unpack_from("<HH", extra, pos)
        blocks.append((hid, extra[pos + 4 : pos + 4 + size]))
        pos += 4 + size
    return blocks


def _join_extra(blocks: Iterable[tuple[int, bytes]]) -> bytes:
    return b"".join(struct.pack("<HH", hid, len(data)) + data for hid, data in blocks)


class _Archive:
    """The raw structure of a zip file, parsed without re-encoding anything."""

    def __init__(self, blob: bytes, path: str) -> None:
        self.blob = blob
        self.path = path
        self.comment = b""
        self.zip64 = False
        self.members: list[_Member] = []
        self._cache: dict[str, bytes] = {}  # decompressed XML parts, filled by verify()
        self._zf = zipfile.ZipFile(io.BytesIO(blob))
        self._parse()

    def _corrupt(self, detail: Phrase | str) -> UnsupportedWorkbookError:
        return UnsupportedWorkbookError("write.not_valid_zip", path=self.path, detail=detail)

    def _parse(self) -> None:
        blob = self.blob
        eocd = blob.rfind(b"PK\x05\x06", max(0, len(blob) - 65557))
        if eocd < 0:
            raise self._corrupt(Phrase("write.zip.no_end_record"))
        (_, _, _, _, count, _cd_size, cd_offset, comment_len) = struct.unpack_from(
            "<IHHHHIIH", blob, eocd
        )
        self.comment = blob[eocd + 22 : eocd + 22 + comment_len]
        if eocd >= 20 and blob[eocd - 20 : eocd - 16] == b"PK\x06\x07":
            (_, _, z64_offset, _) = struct.unpack_from("<IIQI", blob, eocd - 20)
            if blob[z64_offset : z64_offset + 4] != b"PK\x06\x06":
                raise self._corrupt(Phrase("write.zip.bad_zip64_end_record"))
            (_, _, _, _, _, _, _, count, _cd_size, cd_offset) = struct.unpack_from(
                "<IQHHIIQQQQ", blob, z64_offset
            )
            self.zip64 = True
        pos = cd_offset
        seen: set[str] = set()
        for _ in range(count):
            if blob[pos : pos + 4] != b"PK\x01\x02":
                raise self._corrupt(Phrase("write.zip.bad_central_directory"))
            fields = struct.unpack_from("<IHHHHHHIIIHHHHHII", blob, pos)
            flags, name_len, extra_len, comment_len = fields[3], fields[10], fields[11], fields[12]
            csize, usize, offset = fields[8], fields[9], fields[16]
            raw_name = blob[pos + 46 : pos + 46 + name_len]
            name = raw_name.decode("utf-8" if flags & 0x800 else "cp437")
            if name.casefold() in seen:  # readers disagree on which copy counts
                raise self._corrupt(Phrase("write.zip.duplicate_entry", {"part": name}))
            seen.add(name.casefold())
            extra = blob[pos + 46 + name_len : pos + 46 + name_len + extra_len]
            zip64_sizes = False
            for hid, data in _split_extra(extra):
                if hid == 1:
                    vals = list(struct.unpack_from(f"<{len(data) // 8}Q", data))
                    if usize == 0xFFFFFFFF and vals:
                        usize = vals.pop(0)
                        zip64_sizes = True
                    if csize == 0xFFFFFFFF and vals:
                        csize = vals.pop(0)
                        zip64_sizes = True
                    if offset == 0xFFFFFFFF and vals:
                        offset = vals.pop(0)
            end = pos + 46 + name_len + extra_len + comment_len
            raw_central = blob[pos:end]
            pos = end
            if blob[offset : offset + 4] != b"PK\x03\x04":
                raise self._corrupt(Phrase("write.zip.bad_local_header", {"part": name}))
            l_flags = struct.unpack_from("<H", blob, offset + 6)[0]
            l_name_len, l_extra_len = struct.unpack_from("<HH", blob, offset + 26)
            l_extra = blob[offset + 30 + l_name_len : offset + 30 + l_name_len + l_extra_len]
            data_end = offset + 30 + l_name_len + l_extra_len + csize
            if data_end > len(blob):
                raise self._corrupt(Phrase("write.zip.truncated_entry", {"part": name}))
            if l_flags & 0x8:
                z64 = zip64_sizes or any(hid == 1 for hid, _ in _split_extra(l_extra))
                size = 20 if z64 else 12
                if blob[data_end : data_end + 4] == b"PK\x07\x08":
                    size += 4
                data_end += size
            data_start = offset + 30 + l_name_len + l_extra_len
            zip64 = (
                zip64_sizes
                or any(hid == 1 for hid, _ in _split_extra(extra))
                or any(hid == 1 for hid, _ in _split_extra(l_extra))
            )
            self.members.append(
                _Member(
                    name=name,
                    raw_local=blob[offset:data_end],
                    raw_central=raw_central,
                    info=self._zf.getinfo(name),
                    zip64=zip64,
                    payload=blob[data_start : data_start + csize] if zip64 else b"",
                    crc=fields[7],
                    usize=usize,
                )
            )

    def verify(self) -> None:
        """Check every entry's checksum: a damaged part must not be carried into a new file.

        Reads every entry as ``ZipFile.testzip`` does, but keeps the XML parts (up to a
        budget) decompressed, since the patch reads several of them again."""
        budget = _CACHE_BUDGET
        bad = None
        try:
            for info in self._zf.filelist:
                name = info.filename
                try:
                    if name.endswith((".xml", ".rels")) and info.file_size <= budget:
                        data = self._zf.read(name)
                        self._cache[name] = data
                        budget -= len(data)
                    else:
                        with self._zf.open(name, "r") as handle:
                            while handle.read(1 << 20):  # reading to the end checks the CRC
                                pass
                except zipfile.BadZipFile:
                    bad = name
                    break
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
            raise self._corrupt(str(exc)) from exc
        if bad is not None:
            raise UnsupportedWorkbookError("write.part_checksum", path=self.path, part=bad)

    def read(self, name: str) -> bytes:
        """Decompressed content of an entry (CRC checked)."""
        cached = self._cache.get(name)
        if cached is not None:
            return cached
        try:
            return self._zf.read(name)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            detail = Phrase("write.zip.part_error", {"part": name, "detail": str(exc)})
            raise self._corrupt(detail) from exc


def _dos_datetime(date_time: tuple[int, ...]) -> tuple[int, int]:
    year, month, day, hour, minute, second = date_time[:6]
    return ((year - 1980) << 9) | (month << 5) | day, (hour << 11) | (minute << 5) | (second // 2)


def _patch_central_offset(raw: bytes, offset: int) -> bytes:
    """The central record `raw` pointing at a new local-header `offset`."""
    rec = bytearray(raw)
    old = struct.unpack_from("<I", rec, 42)[0]
    if old != 0xFFFFFFFF:
        if offset >= 0xFFFFFFFF:
            raise OverflowError(Phrase("write.size.workbook_over_4gb"))
        struct.pack_into("<I", rec, 42, offset)
        return bytes(rec)
    name_len, extra_len = struct.unpack_from("<HH", rec, 28)
    csize, usize = struct.unpack_from("<II", rec, 20)
    pos = 46 + name_len
    end = pos + extra_len
    while pos + 4 <= end:
        hid, size = struct.unpack_from("<HH", rec, pos)
        if hid == 1:
            at = pos + 4 + 8 * ((usize == 0xFFFFFFFF) + (csize == 0xFFFFFFFF))
            struct.pack_into("<Q", rec, at, offset)
            return bytes(rec)
        pos += 4 + size
    raise OverflowError(Phrase("write.size.zip64_offset_missing"))


def _new_entry(member: _Member, offset: int) -> tuple[bytes, bytes]:
    """Local record and central record for a changed or added entry.

    A changed entry keeps its original timestamp, compression method, attributes and
    (non-ZIP64) extra fields; an added entry gets fixed values, so output is reproducible.
    """
    data = member.data or b""
    info = member.info
    method = zipfile.ZIP_DEFLATED
    if info is not None and info.compress_type == zipfile.ZIP_STORED:
        method = zipfile.ZIP_STORED
    if method == zipfile.ZIP_DEFLATED:
        # level 5: within 1 % of level 6's size on worksheet XML, a third faster
        comp = zlib.compressobj(5, zlib.DEFLATED, -15)
        payload = comp.compress(data) + comp.flush()
    else:
        payload = data
    crc = zlib.crc32(data) & 0xFFFFFFFF
    name = member.name.encode("utf-8")
    flags = 0x800 if not member.name.isascii() else 0
    if info is not None:
        flags |= info.flag_bits & ~(0x8 | 0x1 | 0x800) & 0xFFFF
        date, time = _dos_datetime(info.date_time)
        create_version, create_system = info.create_version, info.create_system
        external = info.external_attr
        local_extra = _join_extra(b for b in _split_extra(info.extra) if b[0] != 1)
    else:
        date, time = _dos_datetime(_NEW_ENTRY_TIME)
        create_version, create_system, external, local_extra = 20, 0, 0, b""
    version = 20
    if len(payload) >= 0xFFFFFFFF or len(data) >= 0xFFFFFFFF:
        raise OverflowError(Phrase("write.size.part_over_4gb"))
    local = (
        struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50,
            version,
            flags,
            method,
            time,
            date,
            crc,
            len(payload),
            len(data),
            len(name),
            len(local_extra),
        )
        + name
        + local_extra
        + payload
    )
    if offset >= 0xFFFFFFFF:
        raise OverflowError(Phrase("write.size.workbook_over_4gb"))
    central = (
        struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            (create_system << 8) | create_version,
            version,
            flags,
            method,
            time,
            date,
            crc,
            len(payload),
            len(data),
            len(name),
            len(local_extra),
            0,
            0,
            0,
            external,
            offset,
        )
        + name
        + local_extra
    )
    return local, central


def _plain_headers(member: _Member, offset: int) -> tuple[bytes, bytes]:
    """Local and central records of a copied entry without its ZIP64 fields.

    The compressed data, CRC, timestamp, method and attributes stay as they are; only the
    size/offset fields move from the ZIP64 extra back into the ordinary header, because
    LibreOffice (up to 7.4 at least) cannot open a ZIP64 archive at all.
    """
    raw_c = member.raw_central or b""
    raw_l = member.raw_local or b""
    (_, made, need, flags, method, time, date, _, _, _, n_len, x_len, c_len, _, iattr, eattr, _) = (
        struct.unpack_from("<IHHHHHHIIIHHHHHII", raw_c)
    )
    name = raw_c[46 : 46 + n_len]
    c_extra = _join_extra(
        b for b in _split_extra(raw_c[46 + n_len : 46 + n_len + x_len]) if b[0] != 1
    )
    comment = raw_c[46 + n_len + x_len : 46 + n_len + x_len + c_len]
    l_name_len, l_extra_len = struct.unpack_from("<HH", raw_l, 26)
    l_extra = raw_l[30 + l_name_len : 30 + l_name_len + l_extra_len]
    l_extra = _join_extra(b for b in _split_extra(l_extra) if b[0] != 1)
    flags &= ~0x8
    need = min(need, 20) if need == 45 else need
    csize = len(member.payload)
    local = (
        struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50,
            need,
            flags,
            method,
            time,
            date,
            member.crc,
            csize,
            member.usize,
            len(name),
            len(l_extra),
        )
        + name
        + l_extra
        + member.payload
    )
    central = (
        struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            made,
            need,
            flags,
            method,
            time,
            date,
            member.crc,
            csize,
            member.usize,
            len(name),
            len(c_extra),
            len(comment),
            0,
            iattr,
            eattr,
            offset,
        )
        + name
        + c_extra
        + comment
    )
    return local, central


def _build_archive(members: list[_Member], comment: bytes) -> bytes:
    out = bytearray()
    central: list[bytes] = []
    estimate = sum(len(m.raw_local or b"") + len(m.data or b"") for m in members)
    zip64 = len(members) >= 0xFFFF or estimate >= 0xF0000000
    for member in members:
        offset = len(out)
        if member.data is None and member.raw_local is not None and member.raw_central:
            if member.zip64 and not zip64:
                local, record = _plain_headers(member, offset)
                out += local
                central.append(record)
                continue
            out += member.raw_local
            central.append(_patch_central_offset(member.raw_central, offset))
        else:
            local, record = _new_entry(member, offset)
            out += local
            central.append(record)
    cd_offset = len(out)
    cd = b"".join(central)
    out += cd
    count = len(central)
    if zip64 or count >= 0xFFFF or cd_offset >= 0xFFFFFFFF or len(cd) >= 0xFFFFFFFF:
        z64_offset = len(out)
        out += struct.pack(
            "<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, len(cd), cd_offset
        )
        out += struct.pack("<IIQI", 0x07064B50, 0, z64_offset, 1)
        out += struct.pack(
            "<IHHHHIIH",
            0x06054B50,
            0,
            0,
            min(count, 0xFFFF),
            min(count, 0xFFFF),
            min(len(cd), 0xFFFFFFFF),
            min(cd_offset, 0xFFFFFFFF),
            len(comment),
        )
    else:
        out += struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(cd), cd_offset, len(comment)
        )
    out += comment
    return bytes(out)


# --------------------------------------------------------------------------- XML helpers

_INT_RE = re.compile(r"-?\d+")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_ATTR_RE = re.compile(r"([\w:.-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_ESC_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_CTRL_RE = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NEEDS_ESC_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ud800-\udfff\ufffe\uffff]|_(?=x[0-9A-Fa-f]{4}_)"
)


def _attrs(tag: str) -> dict[str, str]:
    """Attributes of a start tag, unescaped, in document order."""
    out = {}
    for name, dq, sq in _ATTR_RE.findall(tag):
        value = dq or sq
        out[name] = html.unescape(value) if "&" in value else value
    return out


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _esc_attr(text: str) -> str:
    return _esc(text).replace('"', "&quot;")


def _plain_xml_text(text: str) -> bool:
    """True when `text` needs no `_xHHHH_` escape: the usual case, decided without running
    the escape regex over it (``isprintable`` is false for every character it escapes)."""
    return (text.isprintable() or _CTRL_RE.search(text) is None) and (
        "_x" not in text or _NEEDS_ESC_RE.search(text) is None
    )


def _ooxml_escape(text: str) -> str:
    """Escape characters XML cannot hold as `_xHHHH_` (and a literal `_xHHHH_` itself)."""
    if _plain_xml_text(text):
        return text
    if _SURROGATE_RE.search(text):
        # join surrogate pairs into real characters; lone halves get escaped below
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return _NEEDS_ESC_RE.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def _ooxml_unescape(text: str) -> str:
    return _ESC_RE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _xml_text(text: str) -> str:
    """XML text content for a string cell (escaped; caller adds xml:space)."""
    return _esc(_ooxml_escape(text))


def _needs_preserve(text: str) -> bool:
    return text != text.strip(" ") or "\n" in text or "\t" in text or "  " in text


def _quote_sheet(name: str) -> str:
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", name) and not re.fullmatch(
        r"[A-Za-z]{1,3}\d+", name
    ):
        return name
    return "'" + name.replace("'", "''") + "'"


_RPH_RE = re.compile(r"<(\w+:)?rPh\b.*?</(\w+:)?rPh>", re.S)
_T_RE = re.compile(r"<(?:\w+:)?t\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?t>)", re.S)


def _text_of(fragment: str) -> str:
    """Concatenated text of an `<is>`/`<si>` fragment (runs joined, phonetics skipped)."""
    if "rPh" in fragment:
        fragment = _RPH_RE.sub("", fragment)
    text = "".join(_T_RE.findall(fragment))
    if "&" in text:
        text = html.unescape(text)
    return _ooxml_unescape(text) if "_x" in text else text


def _rels_path(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


@dataclass(slots=True)
class _Rel:
    rid: str
    type: str
    target: str
    external: bool
    tag: str  # the original element text, kept verbatim


def _parse_rels(xml: str) -> list[_Rel]:
    rels = []
    for m in re.finditer(r"<(?:\w+:)?Relationship\b[^>]*>", xml):
        a = _attrs(m.group(0))
        rels.append(
            _Rel(
                rid=a.get("Id", ""),
                type=a.get("Type", ""),
                target=a.get("Target", ""),
                external=a.get("TargetMode", "") == "External",
                tag=m.group(0),
            )
        )
    return rels


def _resolve(source_part: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source_part), target))


def _relative(source_part: str, target_part: str) -> str:
    return posixpath.relpath(target_part, posixpath.dirname(source_part) or ".")


# --------------------------------------------------------------------------- values


def _excel_serial(value: dt.date | dt.datetime, date1904: bool) -> float:
    epoch = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    if isinstance(value, dt.datetime):
        moment = value.replace(tzinfo=None)
    else:
        moment = dt.datetime(value.year, value.month, value.day)
    delta = moment - epoch
    return delta.days + delta.seconds / 86400 + delta.microseconds / 86400e6


def _from_serial(serial: float, date1904: bool) -> dt.datetime:
    epoch = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
    return epoch + dt.timedelta(days=serial)


def _num_text(value: float | int) -> str:
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _cap(text: str) -> tuple[str, bool]:
    """`text` cut to Excel's 32,767 UTF-16 code units (never inside a surrogate pair)."""
    if 2 * len(text) <= MAX_TEXT:  # every character is at most 2 units: nothing to count
        return text, False
    units = len(text.encode("utf-16-le", "surrogatepass")) // 2
    if units <= MAX_TEXT:
        return text, False
    out = []
    used = 0
    for char in text:
        size = 2 if ord(char) > 0xFFFF else 1
        if used + size > MAX_TEXT - 1:
            break
        out.append(char)
        used += size
    return "".join(out) + "…", True


def _text_cut(sheet: str, ref: str) -> Phrase:
    """The warning for a text cut to Excel's limit in cell `ref` of `sheet`."""
    return Phrase("write.text_cut", {"cell": f"{_quote_sheet(sheet)}!{ref}", "limit": MAX_TEXT})


def _number_value(
    raw: str, s_attr: str | int, styles: Callable[[], _Styles], date1904: bool
) -> CellValue:
    """What a numeric cell holding `raw` with style `s_attr` reads as: a date under a date
    format, an int when written as one, else a float (shared by old and new cells, so a
    diff never reports a cell whose value only looks different)."""
    try:
        number = float(raw)
    except ValueError:
        return raw
    s = int(s_attr or 0)
    if s and styles().is_date_style(s):
        with contextlib.suppress(OverflowError, ValueError):
            return _from_serial(number, date1904)
    return int(number) if _INT_RE.fullmatch(raw.strip()) else number


_BUILTIN_DATE_FMTS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_BUILTIN_FMTS = {
    "General": 0,
    "0": 1,
    "0.00": 2,
    "#,##0": 3,
    "#,##0.00": 4,
    "0%": 9,
    "0.00%": 10,
    "0.00E+00": 11,
    "# ?/?": 12,
    "# ??/??": 13,
    "mm-dd-yy": 14,
    "d-mmm-yy": 15,
    "d-mmm": 16,
    "mmm-yy": 17,
    "h:mm AM/PM": 18,
    "h:mm:ss AM/PM": 19,
    "h:mm": 20,
    "h:mm:ss": 21,
    "m/d/yy h:mm": 22,
    "@": 49,
}
_DATE_FMT_ID = 14  # locale short date: shown as dd-mm-yyyy in Danish Excel
_DATETIME_FMT_ID = 22


def _is_date_code(code: str) -> bool:
    code = re.sub(r'"[^"]*"|\\.|_.|\*.', "", code)
    code = re.sub(r"\[(?![hms]+\])[^\]]*\]", "", code, flags=re.I)
    code = code.split(";")[0]
    return bool(re.search(r"[dmyhs]", code, flags=re.I))


def _check_value(value: object, where: dict[str, object]) -> CellValue:
    """Validate one value to write; a clear error for types Excel cannot hold."""
    kind = type(value)
    if kind is str or kind is bool or kind is int or value is None:
        return value  # type: ignore[return-value]
    if kind is float and math.isfinite(value):  # type: ignore[arg-type]
        return value  # type: ignore[return-value]
    if isinstance(value, str | bool | dt.date):
        return value  # type: ignore[return-value]
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isnan(number) or math.isinf(number):
            raise WorkbookWriteError(
                "write.not_finite",
                value=repr(value),
                **where,  # type: ignore[arg-type]
            )
        return number
    raise WorkbookWriteError(
        "write.bad_type",
        type=type(value).__name__,
        **where,  # type: ignore[arg-type]
    )


# --------------------------------------------------------------------------- styles


class _Styles:
    """`xl/styles.xml`, appended to (never rewritten) when a new cell format is needed."""

    def __init__(self, xml: str) -> None:
        self.xml = xml
        self.changed = False
        m = re.search(r"<(\w+:)?styleSheet\b", xml)
        self.p = (m.group(1) or "") if m else ""
        self.numfmts: dict[int, str] = {}
        for nm in re.finditer(rf"<{self.p}numFmt\b[^>]*>", xml):
            a = _attrs(nm.group(0))
            with contextlib.suppress(KeyError, ValueError):
                self.numfmts[int(a["numFmtId"])] = a.get("formatCode", "")
        self.xfs = self._items("cellXfs", "xf")
        self._date_cache: dict[int, bool] = {}
        self._numfmt_cache: dict[tuple[int, int], int] = {}

    def _section(self, name: str) -> re.Match[str] | None:
        p = self.p
        return re.search(rf"<{p}{name}\b[^>]*?(?:/>|>(.*?)</{p}{name}>)", self.xml, flags=re.S)

    def _items(self, section: str, item: str) -> list[str]:
        m = self._section(section)
        if not m or m.group(1) is None:
            return []
        p = self.p
        return re.findall(rf"<{p}{item}\b[^>]*?(?:/>|>.*?</{p}{item}>)", m.group(1), flags=re.S)

    def _append(self, section: str, item: str, item_xml: str) -> int:
        """Append an item to a section, fixing its count; returns the item's index."""
        p = self.p
        m = self._section(section)
        if m is None:
            raise ValueError(section)
        whole = m.group(0)
        items = self._items(section, item)
        if whole.endswith("/>"):
            start = whole[:-2].rstrip() + ">"
            new = start + item_xml + f"</{p}{section}>"
        else:
            close = f"</{p}{section}>"
            new = whole[: -len(close)] + item_xml + close
        count = len(items) + 1
        head_end = new.index(">") + 1
        head = new[:head_end]
        if re.search(r'\bcount="\d*"', head):
            head = re.sub(r'\bcount="\d*"', f'count="{count}"', head, count=1)
        new = head + new[head_end:]
        self.xml = self.xml[: m.start()] + new + self.xml[m.end() :]
        self.changed = True
        return count - 1

    def is_date_style(self, s: int) -> bool:
        if s not in self._date_cache:
            fmt_id = 0
            if 0 <= s < len(self.xfs):
                a = _attrs(self.xfs[s].split(">", 1)[0])
                fmt_id = int(a.get("numFmtId", "0") or 0)
            if fmt_id in self.numfmts:
                result = _is_date_code(self.numfmts[fmt_id])
            else:
                result = fmt_id in _BUILTIN_DATE_FMTS
            self._date_cache[s] = result
        return self._date_cache[s]

    def numfmt_id(self, code: str) -> int:
        """Id of number format `code`: builtin, existing custom, or appended."""
        if code in _BUILTIN_FMTS:
            return _BUILTIN_FMTS[code]
        for fmt_id, existing in self.numfmts.items():
            if existing == code:
                return fmt_id
        new_id = max([163, *self.numfmts]) + 1
        item = f'<{self.p}numFmt numFmtId="{new_id}" formatCode="{_esc_attr(code)}"/>'
        if self._section("numFmts") is None:
            root = re.search(rf"<{self.p}styleSheet\b[^>]*>", self.xml)
            assert root is not None
            block = f'<{self.p}numFmts count="1">{item}</{self.p}numFmts>'
            self.xml = self.xml[: root.end()] + block + self.xml[root.end() :]
            self.changed = True
        else:
            self._append("numFmts", "numFmt", item)
        self.numfmts[new_id] = code
        return new_id

    def _clone_xf(self, s: int, **changes: str) -> int:
        base = self.xfs[s] if 0 <= s < len(self.xfs) else f"<{self.p}xf/>"
        tag_end = base.index(">") + 1
        tag, rest = base[:tag_end], base[tag_end:]
        closed = tag.endswith("/>")
        name_m = re.match(r"<([\w:]+)", tag)
        assert name_m is not None
        a = _attrs(tag)
        for key, val in changes.items():
            a[key] = val
        for key in ("numFmtId", "fontId", "fillId", "borderId"):
            a.setdefault(key, "0")
        body = "".join(f' {k}="{_esc_attr(v)}"' for k, v in a.items())
        new = f"<{name_m.group(1)}{body}{'/>' if closed else '>'}{rest}"
        if new in self.xfs:
            return self.xfs.index(new)
        index = self._append("cellXfs", "xf", new)
        self.xfs.append(new)
        return index

    def with_numfmt(self, s: int, fmt_id: int) -> int:
        """Style index like `s` but with number format `fmt_id` (reused or appended)."""
        key = (s, fmt_id)
        if key not in self._numfmt_cache:
            self._numfmt_cache[key] = self._with_numfmt(s, fmt_id)
        return self._numfmt_cache[key]

    def _with_numfmt(self, s: int, fmt_id: int) -> int:
        if 0 <= s < len(self.xfs):
            a = _attrs(self.xfs[s].split(">", 1)[0])
            if int(a.get("numFmtId", "0") or 0) == fmt_id:
                return s
        return self._clone_xf(s, numFmtId=str(fmt_id), applyNumberFormat="1")

    def bold(self, s: int = 0) -> int:
        """Style index like `s` but with a bold font (font appended when needed)."""
        fonts = self._items("fonts", "font")
        a = _attrs(self.xfs[s].split(">", 1)[0]) if 0 <= s < len(self.xfs) else {}
        font_id = int(a.get("fontId", "0") or 0)
        base = fonts[font_id] if 0 <= font_id < len(fonts) else f"<{self.p}font/>"
        if re.search(rf"<{self.p}b\s*/>", base):
            return s
        tag_end = base.index(">") + 1
        if base[:tag_end].endswith("/>"):
            new = base[: tag_end - 2].rstrip() + f"><{self.p}b/></{self.p}font>"
        else:
            new = base[:tag_end] + f"<{self.p}b/>" + base[tag_end:]
        new_id = fonts.index(new) if new in fonts else self._append("fonts", "font", new)
        return self._clone_xf(s, fontId=str(new_id), applyFont="1")


# --------------------------------------------------------------------------- worksheet patch


@dataclass(slots=True)
class _CellWrite:
    row: int  # 1-based
    col: int  # 1-based
    value: CellValue


@dataclass(slots=True)
class _SheetContext:
    name: str
    path: str
    styles: _Styles | None
    load_styles: Callable[[], _Styles]
    shared_string: Callable[[int], str]
    date1904: bool
    notices: list[Phrase]


_ROW_R_RE = re.compile(r'\br="(\d+)"')
_SPANS_RE = re.compile(r'\bspans="([^"]*)"')
_DIGITS_RE = re.compile(r"\d+")
_S_ATTR_RE = re.compile(r'(?<![\w:.-])s="([0-9]+)"')
_ALTERNATE_RE = re.compile(r"<((?:\w+:)?)AlternateContent\b.*?</\1AlternateContent>", re.S)
_R_ATTR_RE = re.compile(r'\br="\$?([A-Za-z]{1,3})\$?\d+"')


_A1_FAST_RE = re.compile(r"\$?([A-Za-z]{1,3})\$?([1-9]\d*)")


def _parse_ref(ref: str) -> tuple[int, int]:
    """'C5' → 0-based (row, col); a faster `grid.parse_a1` for thousands of writes."""
    m = _A1_FAST_RE.fullmatch(ref.strip())
    if m is None:
        raise ValueError(ref)
    return int(m.group(2)) - 1, _col_of(m.group(1).upper()) - 1


@functools.cache
def _col_of(letters: str) -> int:
    """1-based column number of column letters (cached: the same few recur)."""
    return column_index(letters) + 1


@functools.cache
def _letters(col: int) -> str:
    """Column letters of 1-based column `col` (cached)."""
    return column_letter(col - 1)


def _ref(row: int, col: int) -> str:
    return f"{_letters(col)}{row}"


def _range_of(ref: str) -> tuple[int, int, int, int]:
    """'A1:C3' → (r1, c1, r2, c2), 1-based inclusive."""
    first, _, last = ref.partition(":")
    r1, c1 = parse_a1(first)
    r2, c2 = parse_a1(last) if last else (r1, c1)
    return min(r1, r2) + 1, min(c1, c2) + 1, max(r1, r2) + 1, max(c1, c2) + 1


class _SheetPatcher:
    """Patch cells of one worksheet at the string level, leaving other bytes as they are."""

    def __init__(self, xml: str, ctx: _SheetContext, path: str) -> None:
        self.xml = xml
        self.ctx = ctx
        self.path = path
        root = re.search(r"<(\w+:)?worksheet\b[^>]*>", xml)
        if root is None:
            raise self._error("write.no_worksheet_element")
        self.p = root.group(1) or ""
        self.changes: list[CellChange] = []
        self.removed_formulas: list[str] = []
        self.table_headers: list[tuple[int, int, int, str]] = []
        self._is_re = re.compile(rf"<{self.p}is\b[^>]*>(.*?)</{self.p}is>", re.S)
        self._v_re = re.compile(rf"<{self.p}v\b[^>]*?(?:/>|>(.*?)</{self.p}v>)", re.S)
        self._f_re = re.compile(rf"<{self.p}f\b[^>]*>")
        # r is nearly always the first attribute; otherwise it is looked up in group 2
        self._cell_start_re = re.compile(
            rf'<{self.p}c\b(?: r="\$?([A-Za-z]{{1,3}})\$?\d+")?([^>]*)>'
        )
        self._close_c = f"</{self.p}c>"
        self._col_default: dict[int, int] = {}  # column → default style of a new cell

    def _error(self, key: str, **args: object) -> WorkbookWriteError:
        return UnsupportedWorkbookError(key, path=self.path, sheet=self.ctx.name, **args)

    def _styles(self) -> _Styles:
        if self.ctx.styles is None:
            self.ctx.styles = self.ctx.load_styles()
        return self.ctx.styles

    # -- checks over the whole sheet
    def _guard(self, writes: list[_CellWrite]) -> None:
        """Refuse writes into merged non-anchor cells and into array formulas."""
        p = self.p
        xml = self.xml
        # substring tests first: most sheets have no merges or array formulas to scan for
        merged = (
            [
                _range_of(_attrs(m.group(0)).get("ref", "A1"))
                for m in re.finditer(rf"<{p}mergeCell\b[^>]*>", xml)
            ]
            if f"<{p}mergeCell" in xml
            else []
        )
        arrays = []
        if 't="array"' in xml or 't="dataTable"' in xml:
            for m in re.finditer(rf"<{p}f\b[^>]*\bt=\"(?:array|dataTable)\"[^>]*>", xml):
                a = _attrs(m.group(0))
                if a.get("ref"):
                    arrays.append((*_range_of(a["ref"]), a["t"] == "dataTable"))
        if not merged and not arrays:
            return
        ordered = sorted(writes, key=lambda w: (w.row, w.col))
        rows = [w.row for w in ordered]

        def hits(r1: int, c1: int, r2: int, c2: int) -> Iterable[_CellWrite]:
            for i in range(bisect.bisect_left(rows, r1), bisect.bisect_right(rows, r2)):
                if c1 <= ordered[i].col <= c2:
                    yield ordered[i]

        for r1, c1, r2, c2 in merged:
            for w in hits(r1, c1, r2, c2):
                if (w.row, w.col) != (r1, c1) and w.value is not None:
                    anchor = _ref(r1, c1)
                    raise WorkbookWriteError(
                        "write.merged_cell",
                        path=self.path,
                        sheet=self.ctx.name,
                        cell=_ref(w.row, w.col),
                        range=f"{_ref(r1, c1)}:{_ref(r2, c2)}",
                        anchor=anchor,
                    )
        for r1, c1, r2, c2, data_table in arrays:
            for w in hits(r1, c1, r2, c2):
                cell, span = _ref(w.row, w.col), f"{_ref(r1, c1)}:{_ref(r2, c2)}"
                if data_table:  # a what-if data table: Excel fills its cells itself
                    raise WorkbookWriteError(
                        "write.data_table",
                        path=self.path,
                        sheet=self.ctx.name,
                        cell=cell,
                        range=span,
                    )
                raise WorkbookWriteError(
                    "write.array_formula",
                    path=self.path,
                    sheet=self.ctx.name,
                    cell=cell,
                    range=span,
                )

    def _col_styles(self) -> list[tuple[int, int, int]]:
        out = []
        for m in re.finditer(rf"<{self.p}col\b[^>]*>", self.xml):
            a = _attrs(m.group(0))
            if a.get("style"):
                with contextlib.suppress(KeyError, ValueError):
                    out.append((int(a["min"]), int(a["max"]), int(a["style"])))
        return out

    # -- reading an existing cell
    def _old_value(self, attrs: dict[str, str], body: str) -> CellValue:
        t = attrs.get("t", "n")
        if t == "inlineStr":
            m = self._is_re.search(body)
            return _text_of(m.group(1)) if m else ""
        v = self._v_re.search(body)
        raw = html.unescape(v.group(1) or "") if v else None
        if raw is None:
            return None
        if t == "s":
            try:
                return self.ctx.shared_string(int(raw))
            except (ValueError, IndexError):
                return raw
        if t == "b":
            return raw.strip() == "1"
        if t in ("str", "e", "d"):
            return _ooxml_unescape(raw)
        return _number_value(raw, attrs.get("s", "0"), self._styles, self.ctx.date1904)

    # -- building a new cell
    def _new_cell(
        self,
        w: _CellWrite,
        old_attrs: dict[str, str] | None,
        body: str | None,
        default_s: int,
        whole: str | None = None,
    ) -> tuple[str | None, bool]:
        """(new cell XML or None to remove it, changed?); `whole` is the existing cell's XML."""
        ref = _ref(w.row, w.col)
        has_formula = body is not None and self._f_re.search(body) is not None
        s = int(old_attrs.get("s", "0") or 0) if old_attrs is not None else default_s
        value = w.value
        if has_formula and old_attrs is not None:
            f_tag = self._f_re.search(body or "")
            fa = _attrs(f_tag.group(0)) if f_tag else {}
            if fa.get("t") == "shared" and fa.get("ref"):
                raise WorkbookWriteError(
                    "write.shared_formula_master",
                    path=self.path,
                    sheet=self.ctx.name,
                    cell=ref,
                    range=fa["ref"],
                )
        if isinstance(value, dt.date):
            fmt = _DATE_FMT_ID
            if isinstance(value, dt.datetime) and value.time() != dt.time(0):
                fmt = _DATETIME_FMT_ID
            if not self._styles().is_date_style(s):
                s = self._styles().with_numfmt(s, fmt)
        elif (
            s
            and isinstance(value, int | float)
            and not isinstance(value, bool)
            and self._styles().is_date_style(s)
        ):
            s = self._styles().with_numfmt(s, 0)
        xml, capped = self._cell_xml(ref, s, value)
        # unchanged? (the fast test: exactly what an earlier run wrote)
        if whole is not None and xml == whole:
            return None, False
        old = self._old_value(old_attrs, body or "") if old_attrs is not None else None
        same_style = old_attrs is None or int(old_attrs.get("s", "0") or 0) == s
        if not has_formula and same_style and self._same(old, value, old_attrs):
            return None, False
        for header_row, c1, c2, table in self.table_headers:
            if w.row == header_row and c1 <= w.col <= c2:
                raise WorkbookWriteError(
                    "write.table_header", path=self.path, sheet=self.ctx.name, cell=ref, table=table
                )
        if capped:
            self.ctx.notices.append(_text_cut(self.ctx.name, ref))
        if has_formula:
            self.removed_formulas.append(ref)
        self.changes.append(_change(self.ctx.name, ref, old, value))
        return xml, True

    def _cell_xml(self, ref: str, s: int, value: CellValue) -> tuple[str | None, bool]:
        """(XML of cell `ref` holding `value` in final style `s`, text cut?); no side effects."""
        p = self.p
        s_attr = f' s="{s}"' if s else ""
        capped = False
        if value is None:
            xml = f'<{p}c r="{ref}"{s_attr}/>' if s else None
        elif isinstance(value, str):
            text, capped = _cap(value)
            space = ' xml:space="preserve"' if _needs_preserve(text) else ""
            xml = (
                f'<{p}c r="{ref}"{s_attr} t="inlineStr"><{p}is><{p}t{space}>'
                f"{_xml_text(text)}</{p}t></{p}is></{p}c>"
            )
        elif isinstance(value, bool):
            xml = f'<{p}c r="{ref}"{s_attr} t="b"><{p}v>{int(value)}</{p}v></{p}c>'
        elif isinstance(value, dt.date):
            serial = _num_text(_excel_serial(value, self.ctx.date1904))
            xml = f'<{p}c r="{ref}" s="{s}"><{p}v>{serial}</{p}v></{p}c>'
        else:
            xml = f'<{p}c r="{ref}"{s_attr}><{p}v>{_num_text(value)}</{p}v></{p}c>'  # type: ignore[arg-type]
        return xml, capped

    def _unchanged(self, ref: str, rest: str, value: CellValue, whole: str) -> bool:
        """True when the existing cell `whole` is exactly what writing `value` would give
        (what an earlier run wrote): the common case of a refresh, decided without parsing
        the cell's attributes. Cases where the style would change are left to `_new_cell`.

        Exact: if the XML made with the style guessed from `rest` equals `whole`, the
        cell's real style is that guess, so `_new_cell` would make the same XML."""
        m = _S_ATTR_RE.search(rest)
        s = int(m.group(1)) if m else 0
        if isinstance(value, dt.date):
            if not self._styles().is_date_style(s):
                return False
        elif (
            s
            and isinstance(value, int | float)
            and not isinstance(value, bool)
            and self._styles().is_date_style(s)
        ):
            return False
        return self._cell_xml(ref, s, value)[0] == whole

    def _same(self, old: CellValue, new: CellValue, old_attrs: dict[str, str] | None) -> bool:
        if old_attrs is None:
            return new is None
        if new is None:
            return old is None
        if isinstance(new, bool) or isinstance(old, bool):
            return isinstance(new, bool) and isinstance(old, bool) and new == old
        if isinstance(new, str):
            return isinstance(old, str) and old == _cap(new)[0] and old_attrs.get("t") != "str"
        if isinstance(new, dt.date):
            if not isinstance(old, dt.datetime):
                return False
            moment = new if isinstance(new, dt.datetime) else dt.datetime.combine(new, dt.time())
            return abs((old - moment.replace(tzinfo=None)).total_seconds()) < 0.0005
        if isinstance(old, int | float) and not isinstance(old, dt.datetime):
            return old_attrs.get("t", "n") == "n" and float(old) == float(new)
        return False

    # -- the patch
    def patch(self, writes: list[_CellWrite]) -> str:
        self._guard(writes)
        p = self.p
        xml = self.xml
        sd = re.search(rf"<{p}sheetData\b[^>]*?(/?)>", xml)
        if sd is None:
            raise self._error("write.no_sheet_data")
        if sd.group(1):
            content_start = content_end = sd.end()
            head = sd.group(0)[:-2].rstrip() + ">"
            tail = f"</{p}sheetData>"
        else:
            content_start = sd.end()
            content_end = xml.find(f"</{p}sheetData>", content_start)
            if content_end < 0:
                raise self._error("write.sheet_data_unterminated")
            head = sd.group(0)
            tail = ""
        content = xml[content_start:content_end]
        if "<![CDATA[" in content:
            raise self._error("write.cdata")
        by_row: dict[int, dict[int, CellValue]] = {}
        for w in writes:
            by_row.setdefault(w.row, {})[w.col] = w.value
        targets = sorted(by_row)
        blocks = self._alternate_rows(content, by_row) if "AlternateContent" in content else []
        col_styles = self._col_styles()
        self._col_default = {}
        row_re = re.compile(rf"<{p}row\b([^>]*?)(/?)>")
        close_row = f"</{p}row>"
        pieces: list[str] = []
        last = 0
        ti = 0
        implicit = 0
        pos = 0
        touched_cols: list[tuple[int, int]] = []
        while ti < len(targets):
            m = row_re.search(content, pos)
            if m is None:
                break
            row_ref = _ROW_R_RE.search(m.group(1))
            r = int(row_ref.group(1)) if row_ref else implicit + 1
            implicit = r
            if m.group(2):
                end = m.end()
                inner_start = inner_end = -1
            else:
                inner_end = content.find(close_row, m.end())
                if inner_end < 0:
                    raise self._error("write.row_unterminated", row=r)
                inner_start = m.end()
                end = inner_end + len(close_row)
            pos = end
            # a row inside an mc:AlternateContent block: new rows go before the block
            at = next((b for b, e in blocks if b <= m.start() < e), m.start())
            while ti < len(targets) and targets[ti] < r:
                new_row = self._new_row(targets[ti], by_row[targets[ti]], col_styles)
                if new_row:
                    pieces.append(content[last:at])
                    pieces.append(new_row)
                    last = at
                    touched_cols.extend(
                        (targets[ti], c) for c, v in by_row[targets[ti]].items() if v is not None
                    )
                ti += 1
            if ti < len(targets) and targets[ti] == r:
                inner = content[inner_start:inner_end] if inner_start >= 0 else ""
                # only customFormat/s matter (for new cells' style): parse when present
                a = _attrs(m.group(1)) if "customFormat" in m.group(1) else {}
                new_inner, changed = self._patch_row(r, a, inner, by_row[r], col_styles)
                if changed:
                    tag = self._row_tag(m.group(0), by_row[r])
                    pieces.append(content[last : m.start()])
                    if inner_start < 0:
                        pieces.append(tag[:-2].rstrip() + ">" + new_inner + close_row)
                    else:
                        pieces.append(tag + new_inner + close_row)
                    last = end
                    touched_cols.extend((r, c) for c, v in by_row[r].items() if v is not None)
                ti += 1
        tail_rows = []
        while ti < len(targets):
            new_row = self._new_row(targets[ti], by_row[targets[ti]], col_styles)
            if new_row:
                tail_rows.append(new_row)
                touched_cols.extend(
                    (targets[ti], c) for c, v in by_row[targets[ti]].items() if v is not None
                )
            ti += 1
        if not pieces and not tail_rows:
            return xml
        if tail_rows:
            # new rows go after the last existing row
            pieces.append(content[last:])
            body = "".join(pieces)
            stripped = body.rstrip()
            body = stripped + "".join(tail_rows) + body[len(stripped) :]
        else:
            pieces.append(content[last:])
            body = "".join(pieces)
        new_xml = (
            xml[: sd.start()]
            + head
            + body
            + (xml[content_end:] if not tail else tail + xml[content_end:])
        )
        return self._grow_dimension(new_xml, touched_cols)

    def _alternate_rows(
        self, content: str, by_row: dict[int, dict[int, CellValue]]
    ) -> list[tuple[int, int]]:
        """The spans of the mc:AlternateContent blocks around rows; writing into the rows
        a block covers is refused (Excel reads one branch, other readers another)."""
        spans = []
        for block in _ALTERNATE_RE.finditer(content):
            rows = [int(x) for x in _ROW_R_RE.findall(block.group(0))]
            for r in sorted(by_row):
                if rows and min(rows) <= r <= max(rows):
                    raise self._error("write.alternate_content", cell=_ref(r, min(by_row[r])))
            spans.append((block.start(), block.end()))
        return spans

    def _row_tag(self, tag: str, cols: dict[int, CellValue]) -> str:
        """The row start tag with `spans` grown to cover newly written columns."""
        m = _SPANS_RE.search(tag)
        written = [c for c, v in cols.items() if v is not None]
        if not m or not written:
            return tag
        bounds = [int(x) for x in _DIGITS_RE.findall(m.group(1))]
        if not bounds:
            return tag
        lo, hi = min(bounds + written), max(bounds + written)
        if lo == min(bounds) and hi == max(bounds):
            return tag
        return tag[: m.start()] + f'spans="{lo}:{hi}"' + tag[m.end() :]

    def _default_style(self, row_attrs: dict[str, str], col: int, col_styles: list) -> int:
        if row_attrs.get("customFormat") in ("1", "true") and row_attrs.get("s"):
            return int(row_attrs["s"])
        style = self._col_default.get(col)
        if style is None:
            style = next((st for lo, hi, st in col_styles if lo <= col <= hi), 0)
            self._col_default[col] = style
        return style

    def _new_row(self, r: int, cols: dict[int, CellValue], col_styles: list) -> str:
        cells = []
        for c in sorted(cols):
            if cols[c] is None:  # clearing a cell that is not there: nothing to do
                continue
            w = _CellWrite(r, c, cols[c])
            xml, changed = self._new_cell(w, None, None, self._default_style({}, c, col_styles))
            if changed and xml:
                cells.append(xml)
        if not cells:
            return ""
        return f'<{self.p}row r="{r}">' + "".join(cells) + f"</{self.p}row>"

    def _patch_row(
        self,
        r: int,
        row_attrs: dict[str, str],
        inner: str,
        cols: dict[int, CellValue],
        col_styles: list,
    ) -> tuple[str, bool]:
        """The row's inner XML with the written cells replaced or inserted in column order."""
        source = inner
        if "AlternateContent" in inner:
            inner = self._mask_alternate_content(r, inner, cols)
        starts = list(self._cell_start_re.finditer(inner))
        found = [m.group(1) for m in starts]
        if None not in found:  # the usual case: r is every cell's first attribute
            columns = [_col_of(letters) for letters in found]
        else:
            columns = []
            implicit = 0
            for m, letters in zip(starts, found, strict=True):
                if letters is None:
                    ref = _R_ATTR_RE.search(m.group(2))
                    letters = ref.group(1) if ref else None
                implicit = _col_of(letters) if letters else implicit + 1
                columns.append(implicit)
        if columns != sorted(columns):
            raise self._error("write.row_out_of_order", row=r)
        edits: list[tuple[int, int, str]] = []  # (start, end, replacement)
        after_last = None  # where a cell right of the last one goes
        for c in sorted(cols):
            i = bisect.bisect_left(columns, c)
            exists = i < len(columns) and columns[i] == c
            if not exists and cols[c] is None:  # clearing a cell that is not there
                continue
            if exists:
                m = starts[i]
                if m.group(2).endswith("/"):  # <c .../>
                    end, body = m.end(), ""
                else:
                    close = inner.find(self._close_c, m.end())
                    if close < 0:
                        raise self._error("write.cell_unterminated", row=r)
                    end, body = close + len(self._close_c), inner[m.end() : close]
                whole = inner[m.start() : end]
                if self._unchanged(_ref(r, c), m.group(2), cols[c], whole):
                    continue
                w = _CellWrite(r, c, cols[c])
                xml, changed = self._new_cell(w, _attrs(m.group(2).rstrip("/")), body, 0, whole)
                if changed:
                    edits.append((m.start(), end, xml or ""))
            else:
                default = self._default_style(row_attrs, c, col_styles)
                xml, changed = self._new_cell(_CellWrite(r, c, cols[c]), None, None, default)
                if changed and xml:
                    if i < len(starts):
                        at = starts[i].start()
                    elif starts:
                        if after_last is None:
                            last = starts[-1]
                            close = inner.find(self._close_c, last.end())
                            closed = last.group(2).endswith("/")
                            after_last = last.end() if closed else close + len(self._close_c)
                        at = after_last
                    else:
                        at = 0
                    edits.append((at, at, xml))
        if not edits:
            return source, False
        out = []
        last = 0
        for start, end, rep in edits:  # already in column order, so in position order
            out.append(source[last:start])
            out.append(rep)
            last = end
        out.append(source[last:])
        return "".join(out), True

    def _mask_alternate_content(self, r: int, inner: str, cols: dict[int, CellValue]) -> str:
        """The row with each mc:AlternateContent block blanked to one empty cell of its
        first column, the same length, so that new cells go before or after the block and
        never into one of its branches (Excel reads only one branch). Writing a column the
        block covers is refused."""

        def mask(m: re.Match[str]) -> str:
            block = m.group(0)
            found = [_col_of(x) for x in _R_ATTR_RE.findall(block)]
            if not found:
                return " " * len(block)
            lo, hi = min(found), max(found)
            for c in cols:
                if lo <= c <= hi:
                    raise self._error("write.alternate_content", cell=_ref(r, c))
            start = f'<{self.p}c r="{_ref(r, lo)}"'
            return start + " " * (len(block) - len(start) - 2) + "/>"

        return _ALTERNATE_RE.sub(mask, inner)

    def _grow_dimension(self, xml: str, cells: list[tuple[int, int]]) -> str:
        if not cells:
            return xml
        m = re.search(rf"<{self.p}dimension\b[^>]*>", xml)
        if not m:
            return xml
        a = _attrs(m.group(0))
        try:
            r1, c1, r2, c2 = _range_of(a.get("ref", "A1"))
        except ValueError:
            return xml
        rows = [r for r, _ in cells]
        cols = [c for _, c in cells]
        if a.get("ref", "A1") == "A1" and r1 == r2 == 1 and c1 == c2 == 1:
            # "A1" is also what an empty sheet says
            n1, m1 = min([*rows, 1]), min([*cols, 1])
        else:
            n1, m1 = min([*rows, r1]), min([*cols, c1])
        n2, m2 = max([*rows, r2]), max([*cols, c2])
        if (n1, m1, n2, m2) == (r1, c1, r2, c2):
            return xml
        new_ref = _ref(n1, m1) if (n1, m1) == (n2, m2) else f"{_ref(n1, m1)}:{_ref(n2, m2)}"
        tag = re.sub(r'\bref="[^"]*"', f'ref="{new_ref}"', m.group(0), count=1)
        return xml[: m.start()] + tag + xml[m.end() :]


def _read_all_cells(xml: str, ctx: _SheetContext, path: str) -> dict[str, CellValue]:
    """Every cell value of a sheet (used to diff an owned sheet for the report)."""
    patcher = _SheetPatcher(xml, ctx, path)
    p = patcher.p
    out: dict[str, CellValue] = {}
    for m in re.finditer(rf"<{p}c\b([^>]*?)(?:/>|>(.*?)</{p}c>)", xml, flags=re.S):
        a = _attrs(m.group(1))
        if a.get("r"):
            value = patcher._old_value(a, m.group(2) or "")
            if value is not None:
                out[a["r"]] = value
    return out


# --------------------------------------------------------------------------- package


class _Package:
    """The zip entries of a workbook, with pending changes kept apart from the originals."""

    def __init__(self, archive: _Archive) -> None:
        self.archive = archive
        self.path = archive.path
        self.original = {m.name: m for m in archive.members}
        self._lower = {m.name.lower(): m.name for m in archive.members}
        self.changed: dict[str, bytes] = {}
        self.added: dict[str, bytes] = {}
        self.removed: set[str] = set()

    def name(self, name: str) -> str | None:
        """The stored spelling of part `name` (OPC part names are case-insensitive)."""
        if name in self.added:
            return name
        real = name if name in self.original else self._lower.get(name.lower())
        if real is None or real in self.removed:
            return None
        return real

    def has(self, name: str) -> bool:
        return self.name(name) is not None

    def names(self) -> list[str]:
        return [n for n in self.original if n not in self.removed] + list(self.added)

    def read(self, name: str) -> bytes:
        real = self.name(name)
        if real is None:
            raise KeyError(name)
        if real in self.added:
            return self.added[real]
        if real in self.changed:
            return self.changed[real]
        return self.archive.read(real)

    def text(self, name: str) -> str:
        data = self.read(name)
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise UnsupportedWorkbookError("write.part_utf16", path=self.path, part=name)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UnsupportedWorkbookError(
                "write.part_not_utf8", path=self.path, part=name
            ) from exc

    def write(self, name: str, data: bytes) -> None:
        real = self.name(name)
        if real is None and name in self.original:
            self.removed.discard(name)
            real = name
        if real is None:
            self.added[name] = data
        elif real in self.added:
            self.added[real] = data
        elif data == self.archive.read(real):
            self.changed.pop(real, None)
        else:
            self.changed[real] = data

    def write_text(self, name: str, text: str) -> None:
        self.write(name, text.encode("utf-8"))

    def remove(self, name: str) -> None:
        real = self.name(name)
        if real is None:
            return
        if real in self.added:
            del self.added[real]
        else:
            self.removed.add(real)
            self.changed.pop(real, None)

    def build(self) -> bytes:
        members = []
        for name, member in self.original.items():
            if name in self.removed:
                continue
            if name in self.changed:
                members.append(_Member(name=name, info=member.info, data=self.changed[name]))
            else:
                members.append(member)
        members.extend(_Member(name=n, data=d) for n, d in self.added.items())
        return _build_archive(members, self.archive.comment)


def _ct_override_names(ct: str) -> set[str]:
    return {
        _attrs(m.group(0)).get("PartName", "").lower()
        for m in re.finditer(r"<(?:\w+:)?Override\b[^>]*>", ct)
    }


def _ct_add(ct: str, part: str, content_type: str) -> str:
    if "/" + part.lower() in _ct_override_names(ct):
        return ct
    m = re.search(r"<(\w+:)?Types\b", ct)
    p = (m.group(1) or "") if m else ""
    close = ct.rfind(f"</{p}Types>")
    item = f'<{p}Override PartName="/{_esc_attr(part)}" ContentType="{content_type}"/>'
    return ct[:close] + item + ct[close:]


def _ct_remove(ct: str, part: str) -> str:
    target = "/" + part.lower()
    for m in re.finditer(r"<(?:\w+:)?Override\b[^>]*>", ct):
        if _attrs(m.group(0)).get("PartName", "").lower() == target:
            return ct[: m.start()] + ct[m.end() :]
    return ct


@dataclass(slots=True)
class _SheetRef:
    name: str
    sheet_id: int
    rid: str
    part: str | None
    rel_type: str


class _WorkbookPart:
    """`xl/workbook.xml` and its relationships, read at the string level."""

    def __init__(self, pkg: _Package) -> None:
        self.pkg = pkg
        path = pkg.path
        if not pkg.has("[Content_Types].xml") or not pkg.has("_rels/.rels"):
            raise UnsupportedWorkbookError("write.not_a_package", path=path)
        root_rels = _parse_rels(pkg.text("_rels/.rels"))
        main = next((r for r in root_rels if r.type.endswith("/officeDocument")), None)
        if any(r.type.startswith(_STRICT_MARK) for r in root_rels):
            raise self._strict()
        if main is None:
            raise UnsupportedWorkbookError("write.no_workbook_part", path=path)
        self.part = _resolve("", main.target)
        if not self.part.endswith(".xml"):
            raise UnsupportedWorkbookError("write.binary_workbook", path=path)
        if not pkg.has(self.part):
            raise UnsupportedWorkbookError("write.workbook_part_missing", path=path, part=self.part)
        self.xml = pkg.text(self.part)
        root = re.search(r"<(\w+:)?workbook\b[^>]*>", self.xml)
        if root is None or _STRICT_MARK in root.group(0):
            raise (
                self._strict()
                if root is not None
                else UnsupportedWorkbookError("write.no_workbook_element", path=path)
            )
        self.p = root.group(1) or ""
        rp = re.search(rf'xmlns:(\w+)="{re.escape(_NS_REL)}"', root.group(0))
        self.rel_prefix = rp.group(1) if rp else "r"
        wp = re.search(rf"<{self.p}workbookPr\b[^>]*>", self.xml)
        self.date1904 = bool(wp) and _attrs(wp.group(0)).get("date1904") in ("1", "true")
        self.rels_part = _rels_path(self.part)
        self.rels_xml = pkg.text(self.rels_part) if pkg.has(self.rels_part) else ""
        self.rels = _parse_rels(self.rels_xml)
        by_id = {r.rid: r for r in self.rels}
        self.sheets: list[_SheetRef] = []
        for m in re.finditer(rf"<{self.p}sheet\b[^>]*>", self.xml):
            a = _attrs(m.group(0))
            rid = a.get(f"{self.rel_prefix}:id", "")
            rel = by_id.get(rid)
            part = _resolve(self.part, rel.target) if rel and not rel.external else None
            self.sheets.append(
                _SheetRef(
                    name=a.get("name", ""),
                    sheet_id=int(a.get("sheetId", "0") or 0),
                    rid=rid,
                    part=part,
                    rel_type=rel.type if rel else "",
                )
            )

    def _strict(self) -> UnsupportedWorkbookError:
        return UnsupportedWorkbookError("write.strict", path=self.pkg.path)

    def sheet(self, name: str) -> _SheetRef | None:
        """The sheet called `name`; like Excel, case-insensitively when not exact."""
        exact = next((s for s in self.sheets if s.name == name), None)
        folded = name.casefold()
        return exact or next((s for s in self.sheets if s.name.casefold() == folded), None)

    def related(self, rel_type: str) -> str | None:
        rel = next((r for r in self.rels if r.type == rel_type and not r.external), None)
        return _resolve(self.part, rel.target) if rel else None

    def add_sheet(self, name: str, part: str) -> None:
        """Register a new worksheet: `<sheet>` in workbook.xml, relationship, content type."""
        used = {r.rid for r in self.rels}
        numbers_used = [int(x) for r in used for x in re.findall(r"^rId(\d+)$", r)]
        n = max([0, *numbers_used]) + 1
        while f"rId{n}" in used:
            n += 1
        rid = f"rId{n}"
        sheet_id = max([0, *(s.sheet_id for s in self.sheets)]) + 1
        p = self.p
        close = self.xml.find(f"</{p}sheets>")
        item = (
            f'<{p}sheet name="{_esc_attr(name)}" sheetId="{sheet_id}" '
            f'{self.rel_prefix}:id="{rid}"/>'
        )
        if close < 0:
            empty = re.search(rf"<{p}sheets\s*/>", self.xml)
            if empty is None:
                raise UnsupportedWorkbookError("write.no_sheets_element", path=self.pkg.path)
            self.xml = (
                self.xml[: empty.start()]
                + f"<{p}sheets>{item}</{p}sheets>"
                + self.xml[empty.end() :]
            )
        else:
            self.xml = self.xml[:close] + item + self.xml[close:]
        rel_xml = (
            f'<Relationship Id="{rid}" Type="{_REL_WORKSHEET}" '
            f'Target="{_esc_attr(_relative(self.part, part))}"/>'
        )
        m = re.search(r"<(\w+:)?Relationships\b", self.rels_xml)
        rp = (m.group(1) or "") if m else ""
        rel_close = self.rels_xml.rfind(f"</{rp}Relationships>")
        self.rels_xml = self.rels_xml[:rel_close] + rel_xml + self.rels_xml[rel_close:]
        self.rels = _parse_rels(self.rels_xml)
        self.sheets.append(_SheetRef(name, sheet_id, rid, part, _REL_WORKSHEET))
        self.pkg.write_text(self.part, self.xml)
        self.pkg.write_text(self.rels_part, self.rels_xml)

    def drop_relationship(self, rel_type: str) -> None:
        for rel in self.rels:
            if rel.type == rel_type:
                self.rels_xml = self.rels_xml.replace(rel.tag, "", 1)
        self.rels = _parse_rels(self.rels_xml)
        self.pkg.write_text(self.rels_part, self.rels_xml)


def _table_headers(pkg: _Package, sheet_part: str) -> list[tuple[int, int, int, str]]:
    """(header row, first col, last col, name) of every table with a header on a sheet."""
    rels = _rels_path(sheet_part)
    if not pkg.has(rels):
        return []
    out = []
    for rel in _parse_rels(pkg.text(rels)):
        if rel.external or not rel.type.endswith("/table"):
            continue
        part = _resolve(sheet_part, rel.target)
        if not pkg.has(part):
            continue
        m = re.search(r"<(?:\w+:)?table\b[^>]*>", pkg.text(part))
        if m is None:
            continue
        a = _attrs(m.group(0))
        if a.get("headerRowCount", "1") == "0" or not a.get("ref"):
            continue
        r1, c1, _, c2 = _range_of(a["ref"])
        out.append((r1, c1, c2, a.get("displayName") or a.get("name", "")))
    return out


def _shared_strings(pkg: _Package, wb: _WorkbookPart) -> list[str]:
    part = wb.related(_REL_SST)
    if part is None or not pkg.has(part):
        return []
    xml = pkg.text(part)
    return [
        _text_of(m.group(1) or "")
        for m in re.finditer(r"<(?:\w+:)?si\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?si>)", xml, flags=re.S)
    ]


def _remove_calc_entries(
    pkg: _Package, wb: _WorkbookPart, removed: dict[int, set[str]], report: PatchReport
) -> None:
    """Drop calcChain entries of cells whose formula was overwritten (the part if emptied)."""
    part = wb.related(_REL_CALCCHAIN)
    if not removed or part is None or not pkg.has(part):
        return
    xml = pkg.text(part)
    entries = list(re.finditer(r"<(?:\w+:)?c\b[^>]*>", xml))
    if not entries:
        return
    out: list[str] = []
    last = 0
    current = None
    last_kept = None
    kept = 0
    for m in entries:
        a = _attrs(m.group(0))
        if a.get("i"):
            current = a["i"]
        effective = current
        out.append(xml[last : m.start()])
        last = m.end()
        sheet_id = int(effective) if effective and effective.isdigit() else 0
        if a.get("r", "").replace("$", "") in removed.get(sheet_id, set()):
            continue
        tag = m.group(0)
        if "i" not in a and effective is not None and effective != last_kept:
            tag = re.sub(r"\s*(/?>)$", rf' i="{effective}"\1', tag, count=1)
        out.append(tag)
        last_kept = effective
        kept += 1
    out.append(xml[last:])
    if kept:
        pkg.write_text(part, "".join(out))
        return
    pkg.remove(part)
    wb.drop_relationship(_REL_CALCCHAIN)
    ct = pkg.text("[Content_Types].xml")
    pkg.write_text("[Content_Types].xml", _ct_remove(ct, part))


# --------------------------------------------------------------------------- owned sheets


def _col_number(col: int | str) -> int:
    """0-based column index from an index or letters."""
    return column_index(col) if isinstance(col, str) else int(col)


@dataclass(slots=True)
class _OwnedCells:
    """The generated cells of an owned sheet in row-major order, as parallel lists (cheap
    to build for tens of thousands of cells): the ref, the cell's XML and the value it
    reads back as."""

    refs: list[str] = field(default_factory=list)
    xmls: list[str] = field(default_factory=list)
    values: list[CellValue] = field(default_factory=list)


def _owned_sheet_xml(
    spec: OwnedSheet,
    styles: _Styles,
    date1904: bool,
    drawing_rid: str | None,
    notices: list[Phrase],
    sheet: str,
    path: str,
) -> tuple[str, _OwnedCells]:
    """The sheet's XML and its cells, each with the value it reads back as, so the report's
    diff needs no second parse of what was just generated."""
    header_s = styles.bold(0) if spec.bold_header and spec.rows else 0
    date_s = datetime_s = None
    col_s: dict[int, int] = {
        _col_number(col): styles.with_numfmt(0, styles.numfmt_id(code))
        for col, code in spec.number_formats.items()
    }

    def get_styles() -> _Styles:
        return styles

    width = max((len(row) for row in spec.rows), default=0)
    letters = [_letters(c) for c in range(1, width + 1)]
    s_attrs: dict[int, str] = {0: ""}
    rows_xml = []
    out = _OwnedCells()
    refs, xmls, values = out.refs, out.xmls, out.values
    # a refresh repeats many texts (severities, rule codes, sheet names ...): the
    # cell XML after the style, and the value read back, per distinct short text
    text_cells: dict[str, tuple[str, str]] = {}
    # the style attribute of a text cell, by column: in the header row and below it
    head_attrs = [f' s="{header_s}"' if header_s else ""] * width
    col_attrs = [f' s="{col_s[ci]}"' if col_s.get(ci) else "" for ci in range(width)]
    add_ref, add_xml, add_value = refs.append, xmls.append, values.append
    max_col = 0
    max_row = 0
    for ri, row in enumerate(spec.rows):
        row_text = str(ri + 1)
        first = len(xmls)
        row_attrs = col_attrs if ri else head_attrs
        for ci, raw in enumerate(row):
            if raw is None:
                continue
            ref = letters[ci] + row_text
            add_ref(ref)
            if type(raw) is str and 2 * len(raw) <= MAX_TEXT:
                # the common case, inline: a plain string too short to be capped
                known = text_cells.get(raw)
                if known is None:
                    space = (
                        ' xml:space="preserve"'
                        if raw != raw.strip(" ") or "\n" in raw or "\t" in raw or "  " in raw
                        else ""
                    )
                    if _plain_xml_text(raw):
                        body = _esc(raw) if "&" in raw or "<" in raw or ">" in raw else raw
                        back: CellValue = raw
                    else:
                        body = _xml_text(raw)
                        back = _text_of(f"<t{space}>{body}</t>")
                    known = text_cells[raw] = (
                        f' t="inlineStr"><is><t{space}>{body}</t></is></c>',
                        back,
                    )  # type: ignore[assignment]
                add_xml(f'<c r="{ref}"{row_attrs[ci]}{known[0]}')
                add_value(known[1])
                continue
            s = header_s if ri == 0 else col_s.get(ci, 0)
            # any other value: validated, styled for dates, read back
            value = _check_value(raw, {"path": path, "sheet": sheet, "cell": ref})
            if isinstance(value, dt.date):
                if isinstance(value, dt.datetime) and value.time() != dt.time(0):
                    datetime_s = datetime_s or styles.with_numfmt(0, _DATETIME_FMT_ID)
                    s = datetime_s if ri else s
                else:
                    date_s = date_s or styles.with_numfmt(0, _DATE_FMT_ID)
                    s = date_s if ri else s
            s_attr = s_attrs.get(s)
            if s_attr is None:
                s_attr = s_attrs[s] = f' s="{s}"'
            if isinstance(value, str):
                text, capped = _cap(value)
                if capped:
                    notices.append(_text_cut(sheet, ref))
                space = ' xml:space="preserve"' if _needs_preserve(text) else ""
                body = _xml_text(text)
                back = _text_of(f"<t{space}>{body}</t>")
                xml = f'<c r="{ref}"{s_attr} t="inlineStr"><is><t{space}>{body}</t></is></c>'
            elif isinstance(value, bool):
                xml = f'<c r="{ref}"{s_attr} t="b"><v>{int(value)}</v></c>'
                back = value
            else:
                if isinstance(value, dt.date):
                    number = _num_text(_excel_serial(value, date1904))
                else:
                    number = _num_text(value)  # type: ignore[arg-type]
                xml = f'<c r="{ref}"{s_attr}><v>{number}</v></c>'
                back = _number_value(number, s, get_styles, date1904)
            add_xml(xml)
            add_value(back)
        if len(xmls) > first:
            max_row = ri + 1
            last = len(row) - 1
            while row[last] is None:
                last -= 1
            max_col = max(max_col, last + 1)
            rows_xml.append(f'<row r="{row_text}">' + "".join(xmls[first:]) + "</row>")
    dim = (
        "A1"
        if not max_row
        else (_ref(1, 1) if (max_row, max_col) == (1, 1) else f"A1:{_ref(max_row, max_col)}")
    )
    if spec.freeze_header and spec.rows:
        view = (
            '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView>'
        )
    else:
        view = '<sheetView workbookViewId="0"/>'
    cols = "".join(
        f'<col min="{i + 1}" max="{i + 1}" width="{_num_text(float(w))}" customWidth="1"/>'
        for i, w in enumerate(spec.column_widths)
        if w is not None
    )
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
        f'<worksheet xmlns="{_NS_MAIN}" xmlns:r="{_NS_REL}">',
        f'<dimension ref="{dim}"/>',
        f"<sheetViews>{view}</sheetViews>",
        '<sheetFormatPr defaultRowHeight="15"/>',
        f"<cols>{cols}</cols>" if cols else "",
        "<sheetData>" + "".join(rows_xml) + "</sheetData>",
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>',
        f'<drawing r:id="{drawing_rid}"/>' if drawing_rid else "",
        "</worksheet>",
    ]
    return "".join(parts), out


def _chart_xml(spec: OwnedSheet, sheet: str) -> str:
    chart = spec.chart
    assert chart is not None
    cat_col = _col_number(chart.category_column)
    val_col = _col_number(chart.value_column)
    first = chart.first_row or 2
    last = chart.last_row or len(spec.rows)
    data = list(spec.rows[first - 1 : last])
    n = len(data)
    q = _quote_sheet(sheet) if _quote_sheet(sheet).startswith("'") else "'" + sheet + "'"
    cat_letter, val_letter = column_letter(cat_col), column_letter(val_col)
    cat_ref = f"{q}!${cat_letter}${first}:${cat_letter}${last}"
    val_ref = f"{q}!${val_letter}${first}:${val_letter}${last}"
    name_ref = f"{q}!${val_letter}${first - 1}"
    name_row = spec.rows[first - 2] if len(spec.rows) >= first - 1 else []
    header = name_row[val_col] if len(name_row) > val_col else ""
    cat_pts = []
    val_pts = []
    for i, row in enumerate(data):
        cat = row[cat_col] if len(row) > cat_col else None
        val = row[val_col] if len(row) > val_col else None
        if cat is not None:
            cat_pts.append(f'<c:pt idx="{i}"><c:v>{_xml_text(str(cat))}</c:v></c:pt>')
        if isinstance(val, int | float) and not isinstance(val, bool) and math.isfinite(val):
            val_pts.append(f'<c:pt idx="{i}"><c:v>{_num_text(val)}</c:v></c:pt>')
    scaling = '<c:orientation val="minMax"/>'
    if chart.value_max is not None:
        scaling += f'<c:max val="{_num_text(chart.value_max)}"/>'
    if chart.value_min is not None:
        scaling += f'<c:min val="{_num_text(chart.value_min)}"/>'
    horizontal = chart.direction == "bar"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        f'xmlns:r="{_NS_REL}">'
        '<c:lang val="da-DK"/><c:chart>'
        "<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr/></a:pPr>"
        f"<a:r><a:t>{_esc(chart.title)}</a:t></a:r></a:p></c:rich></c:tx>"
        '<c:overlay val="0"/></c:title><c:autoTitleDeleted val="0"/>'
        "<c:plotArea><c:layout/><c:barChart>"
        f'<c:barDir val="{"bar" if horizontal else "col"}"/><c:grouping val="clustered"/>'
        '<c:varyColors val="0"/><c:ser><c:idx val="0"/><c:order val="0"/>'
        f'<c:tx><c:strRef><c:f>{_esc(name_ref)}</c:f><c:strCache><c:ptCount val="1"/>'
        f'<c:pt idx="0"><c:v>{_xml_text(str(header or ""))}</c:v></c:pt>'
        "</c:strCache></c:strRef></c:tx>"
        '<c:invertIfNegative val="0"/>'
        f"<c:cat><c:strRef><c:f>{_esc(cat_ref)}</c:f><c:strCache>"
        f'<c:ptCount val="{n}"/>{"".join(cat_pts)}</c:strCache></c:strRef></c:cat>'
        f"<c:val><c:numRef><c:f>{_esc(val_ref)}</c:f><c:numCache>"
        f"<c:formatCode>General</c:formatCode>"
        f'<c:ptCount val="{n}"/>{"".join(val_pts)}</c:numCache></c:numRef></c:val>'
        '</c:ser><c:gapWidth val="80"/><c:axId val="50010001"/><c:axId val="50010002"/>'
        "</c:barChart>"
        '<c:catAx><c:axId val="50010001"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
        f'<c:delete val="0"/><c:axPos val="{"l" if horizontal else "b"}"/>'
        '<c:numFmt formatCode="General" sourceLinked="0"/><c:tickLblPos val="nextTo"/>'
        '<c:crossAx val="50010002"/><c:crosses val="autoZero"/><c:auto val="1"/>'
        '<c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        f'<c:valAx><c:axId val="50010002"/><c:scaling>{scaling}</c:scaling><c:delete val="0"/>'
        f'<c:axPos val="{"b" if horizontal else "l"}"/><c:majorGridlines/>'
        f'<c:numFmt formatCode="{_esc_attr(chart.value_format)}" sourceLinked="0"/>'
        '<c:tickLblPos val="nextTo"/><c:crossAx val="50010001"/><c:crosses val="autoZero"/>'
        '<c:crossBetween val="between"/></c:valAx></c:plotArea>'
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>'
    )


def _drawing_xml(first_col: int, rows: int, first_row: int = 1, width: int = 9) -> str:
    """A drawing holding one chart, anchored at (first_row, first_col), 0-based."""
    height = max(16, min(rows + 4, 40))
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        "<xdr:twoCellAnchor>"
        f"<xdr:from><xdr:col>{first_col}</xdr:col><xdr:colOff>0</xdr:colOff>"
        f"<xdr:row>{first_row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
        f"<xdr:to><xdr:col>{first_col + width}</xdr:col><xdr:colOff>0</xdr:colOff>"
        f"<xdr:row>{first_row + height}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"
        '<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="2" name="Chart 1"/>'
        "<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>"
        '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
        '<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        f'xmlns:r="{_NS_REL}" r:id="rId1"/>'
        "</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>"
        "</xdr:wsDr>"
    )


def _rels_xml(rels: list[tuple[str, str, str]]) -> str:
    items = "".join(
        f'<Relationship Id="{rid}" Type="{rtype}" Target="{_esc_attr(target)}"/>'
        for rid, rtype, target in rels
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{_NS_PKG_REL}">{items}</Relationships>'
    )


def _reachable(pkg: _Package, part: str) -> set[str]:
    """Parts reachable from `part` through relationships (not `part` itself)."""
    seen: set[str] = set()
    stack = [part]
    while stack:
        current = stack.pop()
        rels = _rels_path(current)
        if not pkg.has(rels):
            continue
        for rel in _parse_rels(pkg.text(rels)):
            if rel.external:
                continue
            target = _resolve(current, rel.target)
            real = pkg.name(target)
            if real and real != part and real not in seen:
                seen.add(real)
                stack.append(real)
    return seen


def _removable_parts(pkg: _Package, part: str) -> set[str]:
    """Parts that belong only to owned sheet `part`: reachable from it, used nowhere else."""
    reach = _reachable(pkg, part)
    own_rels = {_rels_path(x) for x in reach | {part}}
    outside: set[str] = set()
    for name in pkg.names():
        if not name.endswith(".rels") or name in own_rels:
            continue
        source = posixpath.join(
            posixpath.dirname(posixpath.dirname(name)), posixpath.basename(name)[:-5]
        )
        if name == "_rels/.rels":
            source = ""
        for rel in _parse_rels(pkg.text(name)):
            if not rel.external:
                real = pkg.name(_resolve(source, rel.target))
                if real:
                    outside.add(real)
    removable = {x for x in reach if x not in outside}
    return removable | {r for r in (_rels_path(x) for x in removable | {part}) if pkg.has(r)}


def _free_name(taken: set[str], pattern: str) -> str:
    n = 1
    while pattern.format(n).lower() in taken:
        n += 1
    return pattern.format(n)


# --------------------------------------------------------------------------- locks and I/O


def excel_owner(path: str | os.PathLike[str]) -> str | None:
    """Who has `path` open: the name in Excel's `~$` owner file (or LibreOffice's lock).

    None when no owner or lock file is beside it; "" when one is there without a name.
    """
    target = Path(path)
    owner = target.with_name("~$" + target.name)
    if owner.exists():
        try:
            data = owner.read_bytes()
        except OSError:
            return ""
        return _owner_name(data)
    lock = target.with_name(f".~lock.{target.name}#")
    if lock.exists():
        try:
            fields = lock.read_text("utf-8", errors="replace").split(",")
        except OSError:
            return ""
        return next((f.strip() for f in fields[:2] if f.strip()), "")
    return None


def _owner_name(data: bytes) -> str:
    """The user name in an Office owner file: a length byte, the name, then it in UTF-16."""
    if not data:
        return ""
    n = data[0]
    ansi = data[1 : 1 + n].decode("cp1252", errors="replace").strip()
    for at in (54, 55):
        if len(data) >= at + 2:
            length = struct.unpack_from("<H", data, at)[0]
            if length and length == n and len(data) >= at + 2 + 2 * length:
                with contextlib.suppress(UnicodeDecodeError):
                    wide = data[at + 2 : at + 2 + 2 * length].decode("utf-16-le").strip()
                    if wide:
                        return wide
    return ansi


def _refuse_if_open(path: Path) -> None:
    owner = excel_owner(path)
    if owner is None:
        return
    raise WorkbookLockedError(
        "write.locked", path=path, owner=owner or Phrase("write.another_user")
    )


def _refuse_if_read_only(path: Path) -> None:
    """A file marked read-only (no owner write bit; Windows' read-only attribute shows up
    the same way) is not replaced, although a rename in a writable folder could do it."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # a new output file
    if not mode & stat.S_IWUSR:
        raise WorkbookWriteError("write.read_only", path=path)


def _atomic_write(dest: Path, data: bytes, like: Path) -> None:
    """Write `data` to a temporary file beside `dest`, then rename it over `dest`."""
    fd, tmp = tempfile.mkstemp(prefix=".~xlgoals-", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, os.stat(like).st_mode & 0o7777)
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _open_package(src: Path) -> _Package:
    try:
        blob = src.read_bytes()
    except OSError as exc:
        raise WorkbookWriteError(
            "write.cannot_read", path=src, detail=str(exc.strerror or exc)
        ) from exc
    if blob.startswith(_CFB_MAGIC):
        raise UnsupportedWorkbookError("write.encrypted_or_xls", path=src)
    if not blob.startswith(b"PK"):
        raise UnsupportedWorkbookError("write.not_a_zip", path=src)
    try:
        archive = _Archive(blob, str(src))
    except (zipfile.BadZipFile, struct.error, UnicodeDecodeError, ValueError) as exc:
        raise UnsupportedWorkbookError("write.unreadable_zip", path=src, detail=str(exc)) from exc
    return _Package(archive)


# --------------------------------------------------------------------------- public entry


def patch_workbook(
    path: str | os.PathLike[str],
    *,
    cells: Mapping[str, Mapping[str, CellValue]] | None = None,
    sheets: Mapping[str, OwnedSheet] | None = None,
    output: str | os.PathLike[str] | None = None,
    dry_run: bool = False,
    owned_sheet_names: Iterable[str] | None = None,
) -> PatchReport:
    """Write `cells` (sheet → {"H5": value}) and owned `sheets` into the workbook at `path`.

    Only the touched cells, the owned sheets and the bookkeeping they need (styles for
    dates, workbook.xml/rels/content types for a new sheet, calcChain entries of
    overwritten formulas) change; every other zip entry is copied byte for byte. A value
    None clears a cell. Strings are always written as text, never as formulas.

    `output` writes a copy instead of replacing `path`; `dry_run` writes nothing. Raises
    :class:`WorkbookWriteError` (Danish and English message) and leaves the file untouched
    on any problem.
    """
    try:
        return _patch(path, cells, sheets, output, dry_run, owned_sheet_names)
    except WorkbookWriteError:
        raise
    except (ValueError, KeyError, IndexError, AttributeError, struct.error) as exc:
        raise UnsupportedWorkbookError(
            "write.not_understood", path=path, type=type(exc).__name__, detail=str(exc)
        ) from exc


def _patch(
    path: str | os.PathLike[str],
    cells: Mapping[str, Mapping[str, CellValue]] | None,
    sheets: Mapping[str, OwnedSheet] | None,
    output: str | os.PathLike[str] | None,
    dry_run: bool,
    owned_sheet_names: Iterable[str] | None,
) -> PatchReport:
    src = Path(path)
    dest = Path(output) if output is not None else src
    cells = cells or {}
    sheets = sheets or {}
    owned = frozenset(
        default_owned_sheet_names() if owned_sheet_names is None else owned_sheet_names
    )
    report = PatchReport(source=str(src), output=None if dry_run else str(dest), dry_run=dry_run)
    if not dry_run:
        _refuse_if_open(dest)
        _refuse_if_read_only(dest)
    pkg = _open_package(src)
    pkg.archive.verify()
    wb = _WorkbookPart(pkg)
    for name in sheets:
        if name not in owned:
            raise WorkbookWriteError("write.not_owned", path=src, sheet=name)
        if cells.get(name):
            raise WorkbookWriteError("write.owned_and_cells", path=src, sheet=name)
        _check_sheet_name(name, src)

    styles_part = wb.related(_REL_STYLES)

    def load_styles() -> _Styles:
        if styles_part is None or not pkg.has(styles_part):
            raise UnsupportedWorkbookError("write.no_styles", path=src)
        return _Styles(pkg.text(styles_part))

    sst_cache: list[list[str]] = []

    def shared_string(i: int) -> str:
        if not sst_cache:
            sst_cache.append(_shared_strings(pkg, wb))
        return sst_cache[0][i]

    ctx_styles: list[_Styles] = []

    def styles() -> _Styles:
        if not ctx_styles:
            ctx_styles.append(load_styles())
        return ctx_styles[0]

    removed_formulas: dict[int, set[str]] = {}
    for sheet_name, writes_in in cells.items():
        if not writes_in:
            continue
        ref = wb.sheet(sheet_name)
        if ref is None or ref.part is None or not pkg.has(ref.part):
            raise WorkbookWriteError("write.no_such_sheet", path=src, sheet=sheet_name)
        if not ref.rel_type.endswith("/worksheet"):
            raise WorkbookWriteError("write.not_a_worksheet", path=src, sheet=sheet_name)
        writes = []
        for cell_ref, raw in writes_in.items():
            text_ref = cell_ref if type(cell_ref) is str else str(cell_ref)
            m = _A1_FAST_RE.fullmatch(text_ref.strip())  # _parse_ref, inline: thousands
            if m is None:
                raise WorkbookWriteError("write.not_a1", path=src, sheet=sheet_name, cell=text_ref)
            row, col = int(m.group(2)), _col_of(m.group(1).upper())
            if not (row <= MAX_ROW and col <= MAX_COL):
                raise WorkbookWriteError(
                    "write.outside_grid", path=src, sheet=sheet_name, cell=text_ref
                )
            kind = type(raw)
            if not (kind is str or raw is None or kind is bool or kind is int):
                raw = _check_value(raw, {"path": src, "sheet": sheet_name, "cell": text_ref})
            writes.append(_CellWrite(row, col, raw))
        ctx = _SheetContext(
            name=sheet_name,
            path=ref.part,
            styles=None,
            load_styles=styles,
            shared_string=shared_string,
            date1904=wb.date1904,
            notices=report.notices,
        )
        patcher = _SheetPatcher(pkg.text(ref.part), ctx, str(src))
        patcher.table_headers = _table_headers(pkg, ref.part)
        new_xml = patcher.patch(writes)
        if new_xml != patcher.xml:
            pkg.write_text(ref.part, new_xml)
        report.changes.extend(patcher.changes)
        if patcher.removed_formulas:
            removed_formulas.setdefault(ref.sheet_id, set()).update(patcher.removed_formulas)

    for name, spec in sheets.items():
        _put_owned_sheet(pkg, wb, name, spec, styles, report, src, shared_string)

    _remove_calc_entries(pkg, wb, removed_formulas, report)
    if ctx_styles and ctx_styles[0].changed and styles_part:
        pkg.write_text(styles_part, ctx_styles[0].xml)

    report.parts_changed = sorted(pkg.changed)
    report.parts_added = list(pkg.added)
    report.parts_removed = sorted(pkg.removed)
    if dry_run:
        return report
    if not report.changed:
        if dest != src:
            _write_checked(dest, pkg.archive.blob, src, set())
            report.written = True
        return report
    try:
        data = pkg.build()
    except OverflowError as exc:
        detail = exc.args[0] if exc.args and isinstance(exc.args[0], Phrase) else str(exc)
        raise UnsupportedWorkbookError("write.too_large", path=src, detail=detail) from exc
    _write_checked(dest, data, src, set(pkg.changed) | set(pkg.added))
    report.written = True
    return report


def _write_checked(dest: Path, data: bytes, like: Path, parts: set[str]) -> None:
    """Verify the new archive reads back, then write it atomically."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as check:
            for name in parts:
                check.read(name)
    except (zipfile.BadZipFile, KeyError, zlib.error) as exc:  # pragma: no cover - a bug guard
        raise WorkbookWriteError("write.internal_readback", path=dest, detail=str(exc)) from exc
    try:
        _atomic_write(dest, data, like)
    except OSError as exc:
        raise WorkbookWriteError(
            "write.cannot_write", path=dest, detail=str(exc.strerror or exc)
        ) from exc


def _check_sheet_name(name: str, src: Path) -> None:
    if (
        not name
        or len(name) > 31
        or re.search(r"[\[\]:*?/\\]", name)
        or name[0] == "'"
        or name[-1] == "'"
    ):
        raise WorkbookWriteError("write.bad_sheet_name", path=src, sheet=name)


def _put_owned_sheet(
    pkg: _Package,
    wb: _WorkbookPart,
    name: str,
    spec: OwnedSheet,
    styles: Callable[[], _Styles],
    report: PatchReport,
    src: Path,
    shared_string: Callable[[int], str],
) -> None:
    """Create or replace owned sheet `name` (with its chart parts) whole."""
    existing = wb.sheet(name)
    if existing is not None and not existing.rel_type.endswith("/worksheet"):
        raise UnsupportedWorkbookError("write.owned_not_a_worksheet", path=src, sheet=name)
    taken = {n.lower() for n in pkg.names()}
    drop: set[str] = set()
    old_xml = None
    if existing is not None and existing.part and pkg.has(existing.part):
        part = pkg.name(existing.part) or existing.part
        drop = _removable_parts(pkg, part)
        old_xml = pkg.text(part)
        taken -= {d.lower() for d in drop}
    else:
        part = _free_name(taken, "xl/worksheets/sheet{}.xml")
        taken.add(part.lower())
    st = styles()
    has_chart = spec.chart is not None and len(spec.rows) > 1
    new_parts: dict[str, tuple[str, str | None]] = {}
    drawing_rid = None
    if has_chart:
        drawing = _free_name(taken, "xl/drawings/drawing{}.xml")
        taken.add(drawing.lower())
        chart = _free_name(taken, "xl/charts/chart{}.xml")
        taken.add(chart.lower())
        drawing_rid = "rId1"
        width = max((len(r) for r in spec.rows), default=0)
        new_parts[_rels_path(part)] = (
            _rels_xml([("rId1", _REL_DRAWING, _relative(part, drawing))]),
            None,
        )
        anchor = spec.chart.anchor if spec.chart is not None else None
        if anchor is not None:
            xml = _drawing_xml(anchor[1], len(spec.rows), anchor[0], width=4)
        else:
            xml = _drawing_xml(width + 1, len(spec.rows))
        new_parts[drawing] = (xml, _CT_DRAWING)
        new_parts[_rels_path(drawing)] = (
            _rels_xml([("rId1", _REL_CHART, _relative(drawing, chart))]),
            None,
        )
        new_parts[chart] = (_chart_xml(spec, name), _CT_CHART)
    sheet_xml, new_cells = _owned_sheet_xml(
        spec, st, wb.date1904, drawing_rid, report.notices, name, str(src)
    )
    new_parts = {part: (sheet_xml, _CT_WORKSHEET), **new_parts}
    ct = pkg.text("[Content_Types].xml")
    for old in sorted(drop):
        if old.lower() not in {n.lower() for n in new_parts}:
            pkg.remove(old)
            ct = _ct_remove(ct, old)
    for new_name, (xml, content_type) in new_parts.items():
        pkg.write_text(new_name, xml)
        if content_type:
            ct = _ct_add(ct, new_name, content_type)
    pkg.write_text("[Content_Types].xml", ct)
    if existing is None:
        wb.add_sheet(name, part)
        report.sheets_created.append(name)
    elif (
        pkg.name(part) in pkg.changed
        or any(pkg.name(n) in pkg.changed or n in pkg.added for n in new_parts)
        or (drop - set(new_parts))
    ):
        report.sheets_replaced.append(name)
    # cell-level differences, for the report
    if old_xml == sheet_xml:
        return
    ctx = _SheetContext(name, part, None, styles, shared_string, wb.date1904, report.notices)
    report.changes.extend(_owned_changes(old_xml, new_cells, ctx, str(src)))


_OWN_TEXT_CELL_RE = re.compile(
    r'<c r="([A-Z]{1,3}[1-9][0-9]*)"(?: s="[0-9]+")? t="inlineStr">'
    r'<is><t(?: xml:space="preserve")?>([^<]*)</t></is></c>'
)
"""An inline text cell exactly as :func:`_owned_sheet_xml` writes it."""


def _owned_changes(
    old_xml: str | None, new: _OwnedCells, ctx: _SheetContext, path: str
) -> list[CellChange]:
    """The cells of a replaced (or created) owned sheet whose value changes, in row-major
    order.

    A cell whose XML is exactly what this run generates reads back as the same value, so
    only the old cells that differ as text are parsed (on a later refresh nearly all are
    identical); the new cells' values come from the generator, not from re-parsing.
    """
    name = ctx.name
    if not old_xml:
        return _cell_changes(name, new.refs, itertools.repeat(None), new.values)
    patcher = _SheetPatcher(old_xml, ctx, path)
    p = patcher.p
    # the cells `<c ...>...</c>` / `<c .../>`, as _read_all_cells finds them (unrolled: the
    # lazy `.*?</c>` is three times slower on a large sheet)
    old_list = re.findall(rf"<{p}c\b[^>]*?(?:/>|>[^<]*(?:<(?!/{p}c>)[^<]*)*</{p}c>)", old_xml)
    old_set = set(old_list)
    new_set = set(new.xmls)
    cell_re = re.compile(rf"<{p}c\b([^>]*?)(?:/>|>(.*?)</{p}c>)", re.S)
    gone: dict[str, CellValue] = {}  # old cells with no identical new cell, by ref
    own_text = _OWN_TEXT_CELL_RE.fullmatch if not p else None
    for cell in old_list:
        if cell in new_set:
            continue
        if own_text is not None and (m := own_text(cell)) is not None:
            # a text cell as this module writes it (most of an owned sheet): read directly
            text = m.group(2)
            if "&" in text:
                text = html.unescape(text)
            gone[m.group(1)] = _ooxml_unescape(text) if "_x" in text else text
            continue
        m = cell_re.match(cell)
        assert m is not None
        a = _attrs(m.group(1))
        if a.get("r"):
            gone[a["r"]] = patcher._old_value(a, m.group(2) or "")
    refs, xmls, values = new.refs, new.xmls, new.values
    if gone:
        new_xml_of = dict(zip(refs, xmls, strict=True))
        if any(new_xml_of.get(ref) in old_set for ref in gone):
            # the same ref twice in the old sheet (a damaged file): the last one counts
            old_cells = _read_all_cells(old_xml, ctx, path)
            new_cells = dict(zip(refs, values, strict=True))
            union = sorted(set(old_cells) | set(new_cells), key=_parse_ref)
            return [
                CellChange(name, ref, old_cells.get(ref), new_cells.get(ref))
                for ref in union
                if old_cells.get(ref) != new_cells.get(ref)
            ]
    out: list[tuple[str, CellValue, CellValue]] = []
    for i, xml in enumerate(xmls):
        if xml in old_set:
            continue
        before = gone.pop(refs[i], None)
        if before != values[i]:
            out.append((refs[i], before, values[i]))
    leftover = [(ref, before, None) for ref, before in gone.items() if before is not None]
    if leftover:  # cells only the old sheet has: merge them in, in row-major order
        out = sorted(out + leftover, key=lambda item: _parse_ref(item[0]))
    return _cell_changes(name, [o[0] for o in out], [o[1] for o in out], [o[2] for o in out])


_new_object = object.__new__
_set_sheet = CellChange.sheet.__set__  # type: ignore[attr-defined]
_set_cell = CellChange.cell.__set__  # type: ignore[attr-defined]
_set_old = CellChange.old.__set__  # type: ignore[attr-defined]
_set_new = CellChange.new.__set__  # type: ignore[attr-defined]


def _change(sheet: str, ref: str, old: CellValue, new: CellValue) -> CellChange:
    """``CellChange(sheet, ref, old, new)``, built by setting its slots directly: a frozen
    dataclass's ``__init__`` costs about a microsecond, which thousands of cells notice."""
    change = _new_object(CellChange)
    _set_sheet(change, sheet)
    _set_cell(change, ref)
    _set_old(change, old)
    _set_new(change, new)
    return change


def _cell_changes(
    sheet: str, refs: Iterable[str], olds: Iterable[CellValue], news: Iterable[CellValue]
) -> list[CellChange]:
    """CellChange objects built by setting their slots directly, in C-level loops: a
    frozen dataclass's ``__init__`` costs about a microsecond, which tens of thousands of
    cells notice. `olds` may be endless; `refs` sets the length."""
    refs = list(refs)
    n = len(refs)
    out = list(map(_new_object, itertools.repeat(CellChange, n)))
    consume = functools.partial(collections.deque, maxlen=0)
    consume(map(_set_sheet, out, itertools.repeat(sheet, n)))
    consume(map(_set_cell, out, refs))
    consume(map(_set_old, out, olds))
    consume(map(_set_new, out, news))
    return out

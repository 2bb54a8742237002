"""The desktop-Excel variant: a VBA project whose two macros call xlwings' RunPython.

Desktop Excel runs Python through VBA: a form button runs a macro, the macro calls
``RunPython "import xlgoals.addin; xlgoals.addin.validate_plan_caller()"``, and xlwings
starts the local Python, which reads and writes the open workbook through COM/AppleScript.

There is no tool on Linux that writes a VBA project, so it is written here from the
specification, [MS-OVBA] (VBA File Format) and [MS-CFB] (Compound File Binary Format):

- the module streams hold the source text, compressed (MS-OVBA 2.4.1), with no compiled
  p-code: ``_VBA_PROJECT`` says version 0xFFFF, which tells Excel to compile the source on
  opening (MS-OVBA 2.3.4.1; xlwings' own ``quickstart_standalone.xlsm`` is stored the same
  way);
- the ``dir`` stream lists the project and its modules (MS-OVBA 2.3.4.2);
- the ``PROJECT`` stream names the modules, with the protection fields written unprotected
  in the specified "data encryption" (MS-OVBA 2.4.3);
- all of it goes into a compound file (version 3, 512-byte sectors) written by
  :func:`compound_file`.

The project is "standalone" like xlwings' ``xlwings quickstart --standalone``: it embeds
the installed xlwings' VBA module (``xlwings.bas``, BSD licence; its version must match the
Python package, because it names ``xlwings64-<version>.dll``) and Tim Hall's MIT-licensed
``Dictionary`` class, which that module needs on the Mac. Build deterministically: the same
inputs give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.util import find_spec
from pathlib import Path
from typing import Any

CODEPAGE = 1252
"""Module source and names are stored in the project's code page (Western European)."""

VALIDATE_MACRO = "ValidatePlan"
REFRESH_MACRO = "RefreshAttainment"

XLGOALS_MODULE = (
    'Attribute VB_Name = "xlgoals"\r\n'
    "Option Explicit\r\n"
    "' The two buttons of the goal matrix (xlgoals). They run Python through xlwings:\r\n"
    "' Python, xlwings and xlgoals must be installed on this computer (see docs/addin.md).\r\n"
    "\r\n"
    f"Sub {VALIDATE_MACRO}()\r\n"
    '    RunPython "import xlgoals.addin; xlgoals.addin.validate_plan_caller()"\r\n'
    "End Sub\r\n"
    "\r\n"
    f"Sub {REFRESH_MACRO}()\r\n"
    '    RunPython "import xlgoals.addin; xlgoals.addin.refresh_attainment_caller()"\r\n'
    "End Sub\r\n"
)

_DOCUMENT_ATTRIBUTES = (
    "Attribute VB_GlobalNameSpace = False\r\n"
    "Attribute VB_Creatable = False\r\n"
    "Attribute VB_PredeclaredId = True\r\n"
    "Attribute VB_Exposed = True\r\n"
    "Attribute VB_TemplateDerived = False\r\n"
    "Attribute VB_Customizable = True\r\n"
)
_WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
_WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
_STDOLE = (
    "*\\G{00020430-0000-0000-C000-000000000046}#2.0#0#"
    "C:\\Windows\\System32\\stdole2.tlb#OLE Automation"
)


class DesktopBuildError(Exception):
    """The desktop workbook cannot be built (e.g. xlwings' VBA module is missing)."""


@dataclass(frozen=True)
class VbaModule:
    """One module of the project: its name, kind and source text (CRLF line ends)."""

    name: str
    kind: str  # "document", "module" or "class"
    source: str


# --------------------------------------------------------------------------- MS-OVBA


def compress(data: bytes) -> bytes:
    """MS-OVBA 2.4.1 compression: a signature byte, then chunks of up to 4096 bytes."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), 4096):
        chunk = data[start : start + 4096]
        body = _compress_chunk(chunk)
        if len(body) >= 4096 and len(chunk) == 4096:
            # Incompressible: a raw chunk (flag 0) holds exactly 4096 bytes.
            out += struct.pack("<H", 0x3000 | (4096 + 2 - 3)) + chunk
        else:
            out += struct.pack("<H", 0xB000 | (len(body) + 2 - 3)) + body
    return bytes(out)


def _copy_token_split(position: int) -> tuple[int, int]:
    """(length bits mask, offset shift) for a copy token at `position` in the chunk."""
    bits = max((position - 1).bit_length(), 4)
    return (0xFFFF >> bits), 16 - bits


def _compress_chunk(chunk: bytes) -> bytes:
    """LZ77 tokens of one chunk, with a hash of 3-byte prefixes to find matches."""
    out = bytearray()
    candidates: dict[bytes, list[int]] = {}
    pos = 0
    end = len(chunk)
    while pos < end:
        flag_index = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= end:
                break
            length_mask, offset_shift = _copy_token_split(pos)
            max_length = length_mask + 3
            best_length, best_offset = 0, 0
            key = chunk[pos : pos + 3]
            if len(key) == 3:
                for candidate in reversed(candidates.get(key, [])[-64:]):
                    length = 0
                    limit = min(max_length, end - pos)
                    while length < limit and chunk[candidate + length] == chunk[pos + length]:
                        length += 1
                    if length > best_length:
                        best_length, best_offset = length, pos - candidate
                        if length == limit:
                            break
            if best_length >= 3:
                token = ((best_offset - 1) << offset_shift) | (best_length - 3)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                step = best_length
            else:
                out.append(chunk[pos])
                step = 1
            for index in range(pos, pos + step):
                prefix = chunk[index : index + 3]
                if len(prefix) == 3:
                    candidates.setdefault(prefix, []).append(index)
            pos += step
        out[flag_index] = flags
    return bytes(out)


def decompress(data: bytes) -> bytes:
    """MS-OVBA 2.4.1 decompression (used to check :func:`compress`)."""
    if not data or data[0] != 1:
        raise ValueError("not an MS-OVBA compressed container")
    out = bytearray()
    pos = 1
    while pos < len(data):
        header = struct.unpack_from("<H", data, pos)[0]
        size = (header & 0x0FFF) + 3
        chunk_end = pos + size
        pos += 2
        chunk_start = len(out)
        if not header & 0x8000:
            out += data[pos : pos + 4096]
            pos += 4096
            continue
        while pos < chunk_end:
            flags = data[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if flags & (1 << bit):
                    token = struct.unpack_from("<H", data, pos)[0]
                    pos += 2
                    length_mask, offset_shift = _copy_token_split(len(out) - chunk_start)
                    length = (token & length_mask) + 3
                    offset = (token >> offset_shift) + 1
                    for _ in range(length):
                        out.append(out[-offset])
                else:
                    out.append(data[pos])
                    pos += 1
    return bytes(out)


def _record(record_id: int, payload: bytes) -> bytes:
    return struct.pack("<HI", record_id, len(payload)) + payload


def _mbcs(text: str) -> bytes:
    return text.encode(f"cp{CODEPAGE}")


def dir_stream(modules: Sequence[VbaModule], project_name: str = "VBAProject") -> bytes:
    """The uncompressed ``dir`` stream (MS-OVBA 2.3.4.2)."""
    out = bytearray()
    out += _record(0x0001, struct.pack("<I", 3))  # SysKind: 64-bit Windows
    out += _record(0x0002, struct.pack("<I", 0x0409))  # LCID
    out += _record(0x0014, struct.pack("<I", 0x0409))  # LCID for invoking
    out += _record(0x0003, struct.pack("<H", CODEPAGE))
    out += _record(0x0004, _mbcs(project_name))
    out += _record(0x0005, b"") + _record(0x0040, b"")  # doc string (MBCS, Unicode)
    out += _record(0x0006, b"") + _record(0x003D, b"")  # help file (two copies)
    out += _record(0x0007, struct.pack("<I", 0))  # help context
    out += _record(0x0008, struct.pack("<I", 0))  # library flags
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)  # version: reserved 4, major 1, minor 0
    out += _record(0x000C, b"") + _record(0x003C, b"")  # constants
    # One reference: OLE Automation (stdole), present in every Office VBA project.
    out += _record(0x0016, b"stdole") + _record(0x003E, "stdole".encode("utf-16-le"))
    libid = _STDOLE.encode("ascii")
    out += _record(0x000D, struct.pack("<I", len(libid)) + libid + struct.pack("<IH", 0, 0))
    out += _record(0x000F, struct.pack("<H", len(modules)))
    out += _record(0x0013, struct.pack("<H", 0xFFFF))
    for module in modules:
        out += _record(0x0019, _mbcs(module.name))
        out += _record(0x0047, module.name.encode("utf-16-le"))
        out += _record(0x001A, _mbcs(module.name))
        out += _record(0x0032, module.name.encode("utf-16-le"))
        out += _record(0x001C, b"") + _record(0x0048, b"")
        out += _record(0x0031, struct.pack("<I", 0))  # source starts at offset 0
        out += _record(0x001E, struct.pack("<I", 0))
        out += _record(0x002C, struct.pack("<H", 0xFFFF))
        out += _record(0x0021 if module.kind == "module" else 0x0022, b"")
        out += _record(0x002B, b"")
    out += _record(0x0010, b"")
    return bytes(out)


def encrypt(data: bytes, project_id: str, seed: int) -> str:
    """MS-OVBA 2.4.3.2 "data encryption" of a PROJECT stream field, as upper-case hex."""
    version = 2
    project_key = sum(project_id.encode("ascii")) & 0xFF
    unencrypted_1 = project_key
    encrypted_1 = seed ^ project_key
    encrypted_2 = seed ^ version
    out = bytearray([seed, seed ^ version, seed ^ project_key])
    ignored_length = (seed & 6) // 2
    payload = bytes([7] * ignored_length) + struct.pack("<I", len(data)) + data
    for byte in payload:
        encrypted = byte ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        out.append(encrypted)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, encrypted, byte
    return out.hex().upper()


def decrypt(hex_text: str, project_id: str) -> bytes:
    """Inverse of :func:`encrypt` (checks the PROJECT stream in the tests)."""
    raw = bytes.fromhex(hex_text)
    seed, version_enc, key_enc = raw[0], raw[1], raw[2]
    if seed ^ version_enc != 2 or seed ^ key_enc != sum(project_id.encode("ascii")) & 0xFF:
        raise ValueError("bad PROJECT protection field")
    unencrypted_1, encrypted_1, encrypted_2 = seed ^ key_enc, key_enc, version_enc
    plain = bytearray()
    for encrypted in raw[3:]:
        byte = encrypted ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        plain.append(byte)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, encrypted, byte
    ignored = (seed & 6) // 2
    length = struct.unpack_from("<I", plain, ignored)[0]
    return bytes(plain[ignored + 4 : ignored + 4 + length])


def project_stream(modules: Sequence[VbaModule], project_id: str) -> bytes:
    """The ``PROJECT`` stream: module list, name, unprotected state (MS-OVBA 2.3.1)."""
    seed = hashlib.sha256(project_id.encode()).digest()[0]
    cmg = encrypt(struct.pack("<I", 0), project_id, seed)  # protection state: none
    dpb = encrypt(bytes([0]), project_id, (seed + 1) & 0xFF)  # password: none
    gc = encrypt(bytes([0xFF]), project_id, (seed + 2) & 0xFF)  # visible
    lines = [f'ID="{project_id}"']
    for module in modules:
        if module.kind == "document":
            lines.append(f"Document={module.name}/&H00000000")
        elif module.kind == "class":
            lines.append(f"Class={module.name}")
        else:
            lines.append(f"Module={module.name}")
    lines += [
        'Name="VBAProject"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{cmg}"',
        f'DPB="{dpb}"',
        f'GC="{gc}"',
        "",
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
        "[Workspace]",
    ]
    lines += [f"{module.name}=0, 0, 0, 0, C" for module in modules]
    return _mbcs("\r\n".join(lines) + "\r\n")


def project_wm_stream(modules: Sequence[VbaModule]) -> bytes:
    """The ``PROJECTwm`` stream: each module name in MBCS and in UTF-16 (MS-OVBA 2.3.3)."""
    out = bytearray()
    for module in modules:
        out += _mbcs(module.name) + b"\x00" + module.name.encode("utf-16-le") + b"\x00\x00"
    return bytes(out + b"\x00\x00")


# --------------------------------------------------------------------------- MS-CFB

_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_SECTOR, _MINI, _CUTOFF = 512, 64, 4096


@dataclass
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    data: bytes = b""
    children: list[_Entry] | None = None
    index: int = 0
    left: int = _NOSTREAM
    right: int = _NOSTREAM
    child: int = _NOSTREAM
    start: int = _END
    size: int = 0


def _cfb_key(entry: _Entry) -> tuple[int, str]:
    """MS-CFB 2.6.4 order: shorter names first, then upper-cased code points."""
    return len(entry.name), entry.name.upper()


def _balanced(entries: list[_Entry]) -> int:
    """Link `entries` (sorted) as a balanced binary tree; return the root's index."""
    if not entries:
        return _NOSTREAM
    middle = len(entries) // 2
    root = entries[middle]
    root.left = _balanced(entries[:middle])
    root.right = _balanced(entries[middle + 1 :])
    return root.index


def compound_file(tree: dict[str, Any]) -> bytes:
    """A compound file from a nested dict: name → bytes (stream) or dict (storage)."""
    root = _Entry("Root Entry", 5, children=[])
    entries = [root]

    def add(parent: _Entry, content: dict[str, Any]) -> None:
        for name, value in content.items():
            if isinstance(value, dict):
                entry = _Entry(name, 1, children=[])
                entry.index = len(entries)
                entries.append(entry)
                add(entry, value)
            else:
                entry = _Entry(name, 2, data=bytes(value), size=len(value))
                entry.index = len(entries)
                entries.append(entry)
            assert parent.children is not None
            parent.children.append(entry)

    add(root, tree)
    for entry in entries:
        if entry.children is not None:
            entry.child = _balanced(sorted(entry.children, key=_cfb_key))

    # Small streams live in the mini stream (64-byte sectors), big ones in regular sectors.
    mini_stream = bytearray()
    mini_fat: list[int] = []
    big = []
    for entry in entries:
        if entry.kind != 2:
            continue
        if entry.size < _CUTOFF:
            if entry.size == 0:
                entry.start = _END
                continue
            first = len(mini_stream) // _MINI
            sectors = -(-entry.size // _MINI)
            entry.start = first
            mini_fat += [first + i + 1 for i in range(sectors - 1)] + [_END]
            mini_stream += entry.data + b"\x00" * (sectors * _MINI - entry.size)
        else:
            big.append(entry)

    def sectors_for(size: int) -> int:
        return -(-size // _SECTOR)

    dir_bytes_len = len(entries) * 128
    dir_sectors = sectors_for(dir_bytes_len)
    minifat_sectors = sectors_for(len(mini_fat) * 4)
    mini_sectors = sectors_for(len(mini_stream))
    big_sectors = sum(sectors_for(entry.size) for entry in big)
    payload = dir_sectors + minifat_sectors + mini_sectors + big_sectors
    fat_sectors = 1
    while fat_sectors * (_SECTOR // 4) < payload + fat_sectors:
        fat_sectors += 1
    if fat_sectors > 109:
        raise DesktopBuildError("VBA project too large for a compound file without DIFAT")

    fat: list[int] = [_FATSECT] * fat_sectors
    sector_data: list[bytes] = []

    def place(data: bytes) -> int:
        count = sectors_for(len(data))
        if count == 0:
            return _END
        first = fat_sectors + len(sector_data)
        for i in range(count):
            fat.append(first + i + 1 if i < count - 1 else _END)
            sector_data.append(data[i * _SECTOR : (i + 1) * _SECTOR].ljust(_SECTOR, b"\x00"))
        return first

    # Directory first (its sectors are known), then mini FAT, mini stream, big streams.
    dir_start = fat_sectors
    sector_data.extend([b""] * dir_sectors)
    fat += [dir_start + i + 1 if i < dir_sectors - 1 else _END for i in range(dir_sectors)]
    minifat_start = place(b"".join(struct.pack("<I", v) for v in mini_fat))
    root.start = place(bytes(mini_stream))
    root.size = len(mini_stream)
    for entry in big:
        entry.start = place(entry.data)

    directory = bytearray()
    for entry in entries:
        name = entry.name.encode("utf-16-le") + b"\x00\x00"
        directory += name.ljust(64, b"\x00")
        directory += struct.pack("<HBB", len(name), entry.kind, 1)  # colour: black
        directory += struct.pack("<III", entry.left, entry.right, entry.child)
        directory += b"\x00" * 16 + struct.pack("<I", 0) + b"\x00" * 16
        start = entry.start if entry.kind != 1 else 0
        size = entry.size if entry.kind != 1 else 0
        directory += struct.pack("<IQ", start, size)
    unused = b"\x00" * 64 + struct.pack("<HBBIII", 0, 0, 0, _NOSTREAM, _NOSTREAM, _NOSTREAM)
    directory += (unused + b"\x00" * 52) * (dir_sectors * 4 - len(entries))
    for i in range(dir_sectors):
        sector_data[i] = bytes(directory[i * _SECTOR : (i + 1) * _SECTOR])

    fat += [_FREE] * (fat_sectors * (_SECTOR // 4) - len(fat))
    fat_bytes = b"".join(struct.pack("<I", v) for v in fat)

    header = bytearray()
    header += bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 16
    header += struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6) + b"\x00" * 6
    header += struct.pack("<IIII", 0, fat_sectors, dir_start, 0)
    header += struct.pack("<IIIII", _CUTOFF, minifat_start, minifat_sectors, _END, 0)
    difat = list(range(fat_sectors)) + [_FREE] * (109 - fat_sectors)
    header += b"".join(struct.pack("<I", v) for v in difat)
    assert len(header) == _SECTOR
    return bytes(header) + fat_bytes + b"".join(sector_data)


# --------------------------------------------------------------------------- the project


def _xlwings_file(name: str) -> Path:
    """A file shipped inside the installed xlwings package (located without importing it)."""
    spec = find_spec("xlwings")
    if spec is None or not spec.submodule_search_locations:
        raise DesktopBuildError("xlwings is not installed: pip install xlwings")
    path = Path(next(iter(spec.submodule_search_locations))) / name
    if not path.exists():
        raise DesktopBuildError(f"xlwings' {name} is missing from {path.parent}")
    return path


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def vba_modules(sheet_code_names: Sequence[str]) -> list[VbaModule]:
    """ThisWorkbook, one document module per sheet, xlwings, Dictionary and xlgoals."""
    xlwings_source = _crlf(_xlwings_file("xlwings.bas").read_text("utf-8"))
    dictionary = resources.files("xlgoals.data").joinpath("vba/Dictionary.cls")
    modules = [
        VbaModule(
            "ThisWorkbook",
            "document",
            f'Attribute VB_Name = "ThisWorkbook"\r\nAttribute VB_Base = "{_WORKBOOK_BASE}"\r\n'
            + _DOCUMENT_ATTRIBUTES,
        )
    ]
    for code_name in sheet_code_names:
        modules.append(
            VbaModule(
                code_name,
                "document",
                f'Attribute VB_Name = "{code_name}"\r\nAttribute VB_Base = "{_WORKSHEET_BASE}"\r\n'
                + _DOCUMENT_ATTRIBUTES,
            )
        )
    modules.append(VbaModule("xlwings", "module", xlwings_source))
    modules.append(VbaModule("Dictionary", "class", _crlf(dictionary.read_text("utf-8"))))
    modules.append(VbaModule("xlgoals", "module", XLGOALS_MODULE))
    return modules


def vba_project(sheet_code_names: Sequence[str] = ("Sheet1",)) -> bytes:
    """The bytes of ``xl/vbaProject.bin`` for a workbook with these sheet code names."""
    modules = vba_modules(sheet_code_names)
    digest = hashlib.sha256("".join(m.source for m in modules).encode()).hexdigest().upper()
    project_id = f"{{{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}}}"
    vba: dict[str, bytes] = {
        "_VBA_PROJECT": b"\xcc\x61\xff\xff\x00\x00\x00",
        "dir": compress(dir_stream(modules)),
    }
    for module in modules:
        vba[module.name] = compress(_mbcs(module.source))
    return compound_file(
        {
            "PROJECT": project_stream(modules, project_id),
            "PROJECTwm": project_wm_stream(modules),
            "VBA": vba,
        }
    )


def add_desktop_macros(workbook: Any, worksheets: Sequence[Any], button_sheet: Any) -> None:
    """Give an XlsxWriter workbook (file name ending in .xlsm) the VBA project and buttons.

    Call before ``workbook.close()``: sets the code names (ThisWorkbook, Sheet1, …), embeds
    the project and puts two form buttons on `button_sheet` at H1 and K1, where the xlwings
    Lite template has its hyperlink buttons.
    """
    code_names = [f"Sheet{i + 1}" for i in range(len(worksheets))]
    workbook.set_vba_name("ThisWorkbook")
    for worksheet, code_name in zip(worksheets, code_names, strict=True):
        worksheet.set_vba_name(code_name)
    workbook.add_vba_project(io.BytesIO(vba_project(code_names)), is_stream=True)
    add_form_buttons(button_sheet)


def add_form_buttons(worksheet: Any, first_col: int = 7) -> None:
    """Two form buttons bound to the macros (H1 "Valider plan", K1 "Opdater målopfyldelse")."""
    for offset, (macro, caption) in enumerate(
        ((VALIDATE_MACRO, "Valider plan"), (REFRESH_MACRO, "Opdater målopfyldelse"))
    ):
        worksheet.insert_button(
            0,
            first_col + 3 * offset,
            {
                "macro": macro,
                "caption": caption,
                "width": 170,
                "height": 34,
                "x_offset": 2,
                "y_offset": 2,
            },
        )


def build_desktop_workbook(path: str | Path, *, example: bool = False, lang: str = "da") -> Path:
    """The template (or the worked example) as a desktop .xlsm: form buttons and VBA
    instead of xlwings Lite's hyperlink shapes; everything else as `xlgoals new` builds it."""
    from xlgoals.template import build_workbook

    path = Path(path)
    if path.suffix.lower() != ".xlsm":
        raise DesktopBuildError(f"{path}: a workbook with macros must be saved as .xlsm")
    return build_workbook(path, example=example, lang=lang)

"""vbaProject.bin from module source text (MS-OVBA), source only: Office compiles it on load.

Streams written: `VBA/_VBA_PROJECT` (the 7-byte header with version 0xFFFF and no performance
cache, which MS-OVBA 2.3.4.1 prescribes on write), `VBA/dir` (project information, references,
modules; compressed), one stream per module (its compressed source, no p-code), `PROJECT`
(the text the VBA editor reads) and `PROJECTwm` (module names in UTF-16).
Source is stored in codepage 1252, so modules must be ASCII: Chinese text lives in customUI.
"""
from __future__ import annotations

import hashlib
import random
import struct
import uuid
from dataclasses import dataclass

from . import cfb
from .compression import compress, raw_chunks

CODEPAGE = 1252
VBA_PROJECT_STREAM = bytes.fromhex("cc61ffff000300")

# the references a new Excel project carries; IRibbonControl lives in the Office library
REFERENCES = (
    ("stdole", r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\Windows\System32\stdole2.tlb#OLE Automation"),
    ("Office", r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#C:\Program Files\Common Files\Microsoft Shared"
               r"\OFFICE16\MSO.DLL#Microsoft Office 16.0 Object Library"),
)

# VB_Base: the interface a class or document module implements (as Excel stores it)
BASE_CLASS = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"
BASE_WORKBOOK = "0{00020819-0000-0000-C000-000000000046}"
BASE_WORKSHEET = "0{00020820-0000-0000-C000-000000000046}"


@dataclass(frozen=True)
class Module:
    """One VBA module as stored: `kind` is "module", "class" or "document"; `code` the full
    source including its Attribute lines, CRLF line ends."""

    name: str
    kind: str
    code: str


def standard_module(name: str, text: str) -> Module:
    """A standard module from .bas text (its `Attribute VB_Name` line is written here)."""
    body = [line for line in _lines(text) if not line.startswith("Attribute VB_Name")]
    return Module(name, "module", _join([f'Attribute VB_Name = "{name}"', *body]))


def class_module(name: str, text: str) -> Module:
    """A class module from .cls export text, with the attributes Excel keeps for a class."""
    lines = _lines(text)
    if lines and lines[0].startswith("VERSION"):  # the export header: VERSION, BEGIN … END
        lines = lines[lines.index("END") + 1:]
    attrs = {}
    while lines and lines[0].startswith("Attribute "):
        key, _, value = lines.pop(0)[len("Attribute "):].partition(" = ")
        attrs[key] = value
    head = {
        "VB_Name": f'"{name}"',
        "VB_Base": f'"{BASE_CLASS}"',
        "VB_GlobalNameSpace": attrs.get("VB_GlobalNameSpace", "False"),
        "VB_Creatable": attrs.get("VB_Creatable", "False"),
        "VB_PredeclaredId": attrs.get("VB_PredeclaredId", "False"),
        "VB_Exposed": attrs.get("VB_Exposed", "False"),
        "VB_TemplateDerived": "False",
        "VB_Customizable": "False",
    }
    head.update({k: v for k, v in attrs.items() if k not in head})  # VB_Description and the like
    return Module(name, "class", _join([f"Attribute {k} = {v}" for k, v in head.items()] + lines))


def document_module(name: str, base: str) -> Module:
    """The code module behind the workbook or a sheet; ours hold no code."""
    head = {
        "VB_Name": f'"{name}"', "VB_Base": f'"{base}"', "VB_GlobalNameSpace": "False",
        "VB_Creatable": "False", "VB_PredeclaredId": "True", "VB_Exposed": "True",
        "VB_TemplateDerived": "False", "VB_Customizable": "True",
    }
    return Module(name, "document", _join([f"Attribute {k} = {v}" for k, v in head.items()]))


def build(project: str, modules: list[Module]) -> bytes:
    """The vbaProject.bin of `modules`, byte-identical for identical input."""
    for module in modules:
        if not module.code.isascii():
            raise ValueError(f"VBA module {module.name} is not ASCII; put non-ASCII text in customUI")
    # the project id and the protection fields' "random" bytes come from the content
    digest = hashlib.sha256(project.encode() + b"".join(m.code.encode() for m in modules)).digest()
    project_id = "{" + str(uuid.UUID(bytes=digest[:16])).upper() + "}"
    rng = random.Random(digest)
    streams = {
        "PROJECT": _project_stream(project, project_id, modules, rng),
        "PROJECTwm": _names_stream(modules),
        "VBA/_VBA_PROJECT": VBA_PROJECT_STREAM,
        "VBA/dir": compress(_dir_stream(project, modules)),
    }
    for module in modules:
        source = compress(module.code.encode("ascii"))
        # text always compresses; a stored (raw) chunk would mean a compressor bug, and a third
        # party reports that Excel drops modules holding one, so refuse rather than ship it
        if raw_chunks(source):
            raise ValueError(f"VBA module {module.name}: a chunk did not compress")
        streams[f"VBA/{module.name}"] = source
    return cfb.write(streams)


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _join(lines: list[str]) -> str:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return "\r\n".join(lines) + "\r\n"


def _record(rid: int, data: bytes) -> bytes:
    return struct.pack("<HI", rid, len(data)) + data


def _text_records(rid: int, unicode_rid: int, text: str) -> bytes:
    """A name record in the codepage followed by its UTF-16 twin, as the dir stream pairs them."""
    return _record(rid, text.encode("cp1252")) + _record(unicode_rid, text.encode("utf-16-le"))


def _dir_stream(project: str, modules: list[Module]) -> bytes:
    """MS-OVBA 2.3.4.2: PROJECTINFORMATION, PROJECTREFERENCES, PROJECTMODULES."""
    out = bytearray()
    out += _record(0x0001, struct.pack("<I", 1))  # SysKind: 32-bit Windows; 64-bit Office reads it too
    out += _record(0x0002, struct.pack("<I", 0x0409))  # LCID
    out += _record(0x0014, struct.pack("<I", 0x0409))  # LCID for invoking
    out += _record(0x0003, struct.pack("<H", CODEPAGE))
    out += _record(0x0004, project.encode("cp1252"))
    out += _text_records(0x0005, 0x0040, "")  # doc string
    out += _text_records(0x0006, 0x003D, "")  # help file (the second copy is not UTF-16)
    out += _record(0x0007, struct.pack("<I", 0))  # help context
    out += _record(0x0008, struct.pack("<I", 0))  # lib flags
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)  # version: the size field is a fixed 4
    out += _text_records(0x000C, 0x003C, "")  # conditional compilation constants
    for name, libid in REFERENCES:
        out += _text_records(0x0016, 0x003E, name)
        lib = libid.encode("cp1252")
        out += _record(0x000D, struct.pack("<I", len(lib)) + lib + struct.pack("<IH", 0, 0))
    out += _record(0x000F, struct.pack("<H", len(modules)))
    out += _record(0x0013, struct.pack("<H", 0xFFFF))  # project cookie
    for module in modules:
        out += _text_records(0x0019, 0x0047, module.name)
        out += _text_records(0x001A, 0x0032, module.name)  # stream name
        out += _text_records(0x001C, 0x0048, "")  # doc string
        out += _record(0x0031, struct.pack("<I", 0))  # source starts at 0: no p-code before it
        out += _record(0x001E, struct.pack("<I", 0))  # help context
        out += _record(0x002C, struct.pack("<H", 0xFFFF))  # module cookie
        out += _record(0x0021 if module.kind == "module" else 0x0022, b"")
        out += _record(0x002B, b"")  # module terminator
    out += _record(0x0010, b"")  # modules terminator
    return bytes(out)


def _names_stream(modules: list[Module]) -> bytes:
    out = bytearray()
    for module in modules:
        out += module.name.encode("cp1252") + b"\x00" + module.name.encode("utf-16-le") + b"\x00\x00"
    return bytes(out + b"\x00\x00")


def _project_stream(project: str, project_id: str, modules: list[Module], rng: random.Random) -> bytes:
    """MS-OVBA 2.3.1: the project's text properties, unprotected and visible."""
    kinds = {"document": "Document", "class": "Class", "module": "Module"}
    lines = [f'ID="{project_id}"']
    for m in modules:
        lines.append(f"Document={m.name}/&H00000000" if m.kind == "document" else f"{kinds[m.kind]}={m.name}")
    state, password, visible = (_encrypt(project_id, data, rng) for data in (bytes(4), b"\x00", b"\xff"))
    lines += [
        f'Name="{project}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        f'CMG="{state}"',  # protection: none
        f'DPB="{password}"',  # password: none
        f'GC="{visible}"',  # the project is visible in the VBA editor
        "",
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
        "[Workspace]",
        *(f"{m.name}=0, 0, 0, 0, C" for m in modules),
    ]
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def _encrypt(project_id: str, data: bytes, rng: random.Random) -> str:
    """MS-OVBA 2.4.3.2 data encryption, as hex; `rng` supplies the seed and filler bytes."""
    seed = rng.randrange(256)
    key = sum(project_id.encode("ascii")) & 0xFF
    out = [seed, seed ^ 2, seed ^ key]
    plain_prev, enc1, enc2 = key, seed ^ key, seed ^ 2
    filler = [rng.randrange(256) for _ in range((seed & 6) // 2)]
    for byte in filler + list(struct.pack("<I", len(data)) + data):
        enc = byte ^ ((enc2 + plain_prev) & 0xFF)
        out.append(enc)
        enc2, enc1, plain_prev = enc1, enc, byte
    return bytes(out).hex().upper()

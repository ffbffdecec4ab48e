"""Plan taking the marks off: every marked cell back as it was, both added sheets removed.

Only what is still ours is undone: a cell the user recoloured after marking keeps the user's new
colour, and text the user typed into one of our notes is kept (our lines are taken out). A cell
nobody touched is restored exactly.

Cells are found by what they carry, not only by where they were: users insert and delete rows and
columns, sort and rename sheets between `mark` and `clear`, and the note and fill move with the
cell. Each of our notes carries the token of its record (state.token_tag, invisible), and `clear`
restores wherever that token now is, in any sheet. A cell whose note the user deleted is found only
at its recorded address, and only while it still has our colour, carries no other record's token, and is
plainly the same cell (its value is unchanged, or the other marks of its sheet all sit where they
were marked). Anything else is never put on some other cell: the count of records that could not
be placed is reported.
"""
from __future__ import annotations

from ..plan import Note, Plan, is_colour
from ..surfaces.looks import Looks, Planned
from .state import MARKER, SEPARATOR, STATE_SHEET, Record, fingerprint, read_state, tokens_in, without_token

Place = tuple[str, str]  # (sheet, cell)


class Cleared(int):
    """What `clear` did. It is the number of marked cells put back, with `restored` (the same
    number), `missing` (records whose cell could not be found: deleted with its row, column or
    sheet, or our note taken off by hand; nothing was done for them), `moved` (restored cells found
    somewhere other than where they were marked) and `skipped` (rows of the state sheet that made
    no sense, edited by hand; ignored)."""

    missing: int
    moved: int
    skipped: int

    def __new__(cls, restored: int = 0, missing: int = 0, moved: int = 0, skipped: int = 0) -> "Cleared":
        self = super().__new__(cls, restored)
        self.missing, self.moved, self.skipped = missing, moved, skipped
        return self

    @property
    def restored(self) -> int:
        return int(self)

    def __repr__(self) -> str:
        return f"Cleared(restored={int(self)}, missing={self.missing}, moved={self.moved}, skipped={self.skipped})"

    __str__ = int.__repr__  # f"已清除 {count} 个" stays a number


def plan_clear(looks: Looks) -> tuple[Plan, Cleared]:
    """The plan undoing every budgetbook mark; an empty plan when there are none."""
    names = looks.sheet_names()
    if STATE_SHEET not in names:
        return Plan(), Cleared(0)
    results, records, skipped = read_state(looks.rows(STATE_SHEET))
    places = _locate(looks, records, {STATE_SHEET, results})
    plan = Plan()
    view = Planned(looks, plan)  # a cell carrying two records is restored from the first's result
    restored = missing = moved = 0
    for record in records:  # every cell located first: restoring changes what later ones see
        cells = places.get(id(record), [])
        for sheet, addr in cells:
            _restore(view, plan, sheet, addr, record)
        restored += bool(cells)
        missing += not cells
        moved += bool(cells) and all(place != (record.sheet, record.addr) for place in cells)
    plan.remove_sheets = [name for name in (results, STATE_SHEET) if name and name in names]
    return plan, Cleared(restored, missing, moved, skipped)


def _locate(looks: Looks, records: list[Record], ours: set) -> dict[int, list[Place]]:
    """Where each record's cell is now (by id of the record): the cells whose note carries its token
    (a copy pasted elsewhere is ours too), wherever rows, columns, sorts and renames took them.
    A record whose token is nowhere (our note deleted, or state written before tokens) is looked
    for at its recorded address, under the conditions of `_still_there`; else it gets no cell."""
    names = {name for name in looks.sheet_names() if name not in ours}
    by_token = {record.token: record for record in records if record.token}
    carriers: dict[str, list[Place]] = {}
    notes = {(sheet, addr): note for marker in (MARKER, "budgetbook") for sheet, addr, note in looks.notes_with(marker)}
    for (sheet, addr), note in notes.items():
        if sheet not in names:
            continue
        for token in tokens_in(note.text):
            if token in by_token:
                carriers.setdefault(token, []).append((sheet, addr))
    # A recorded sheet name that is gone, and whose tokens all turned up in one sheet: renamed.
    seen: dict[str, set] = {}
    for token, cells in carriers.items():
        record = by_token[token]
        if record.sheet not in names:
            seen.setdefault(record.sheet, set()).update(sheet for sheet, _ in cells)
    renamed = {old: new.pop() for old, new in seen.items() if len(new) == 1}
    # Sheets where every found mark sits at its recorded address: their addresses still hold.
    found, shifted = set(), set()
    for token, cells in carriers.items():
        record = by_token[token]
        sheet = renamed.get(record.sheet, record.sheet)
        found.update(s for s, _ in cells)
        if (sheet, record.addr) not in cells:
            shifted.update({sheet} | {s for s, _ in cells})
    steady = found - shifted
    taken = {place for cells in carriers.values() for place in cells}
    places = {}
    for record in records:
        if record.token in carriers:
            places[id(record)] = carriers[record.token]
            continue
        sheet = renamed.get(record.sheet, record.sheet)
        place = (sheet, record.addr)
        if (sheet in names and looks.exists(*place) and place not in taken
                and _still_there(looks, place, record, sheet in steady)):
            places[id(record)] = [place]
            taken.add(place)
    return places


def _still_there(looks: Looks, place: Place, record: Record, steady: bool) -> bool:
    """Whether the cell at a record's address, whose note no longer names the record, is still the
    cell that was marked: it carries our note (state of format 1, which has no tokens) or our colour,
    and, for the colour alone, its value is the one it had or its sheet's marks have not moved."""
    note = looks.note(*place)
    if not record.token and note is not None and _lines(record.ours).strip() in _lines(note.text):
        return True
    if not (record.mark_fill and is_colour(looks.fill(*place), record.mark_fill)):
        return False  # an info note (no colour) or a recoloured cell: nothing says it is ours
    return record.value is None or steady or fingerprint(looks.value(*place)) == record.value


def _restore(looks: Looks, plan: Plan, sheet: str, addr: str, record: Record) -> None:
    if record.mark_fill and is_colour(looks.fill(sheet, addr), record.mark_fill):
        plan.set_fill(sheet, addr, record.fill)
    note = _restored_note(looks.note(sheet, addr), record)
    if note is not _KEEP:
        plan.set_note(sheet, addr, note)


_KEEP = object()  # the note is the user's now: leave it as it is


def _restored_note(current: Note | None, record: Record):
    original = _original_note(record)
    if current is None or _same(current.text, record.mark_text):
        return original  # untouched (or the whole note deleted): exactly as it was
    text = _lines(current.text)
    for block in (_lines(SEPARATOR + record.ours), _lines(record.ours)):
        if block in text:
            # The user wrote into the note after marking: keep their words, take out our lines.
            rest = text.replace(block, "", 1).strip("\n")
            break
    else:
        # The user rewrote our lines: the note is now theirs; only the line naming the record
        # comes out, so no later clear mistakes the cell for one of its own.
        rest = without_token(text, record.token) if record.token else None
        if rest is None:
            return _KEEP
        rest = rest.strip("\n")
    if original is not None and _same(rest, record.text):
        return original
    if rest:
        author = record.author if record.had_comment else current.author
        if original is not None:
            return Note(rest, author, original.width, original.height)
        return Note(rest, author)
    return original


def _original_note(record: Record) -> Note | None:
    return Note(record.text, record.author, record.width, record.height) if record.had_comment else None


def _lines(text: str | None) -> str:
    # Excel and LibreOffice may save line breaks as \r\n.
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def _same(a: str | None, b: str | None) -> bool:
    return _lines(a).strip() == _lines(b).strip()

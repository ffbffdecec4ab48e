/* A recording fake of WPS表格's object model, as much of it as client.js uses, behaving as the
   documentation says WPS (and Excel's COM model it follows) behaves:
   Application.ActiveWorkbook.Sheets.Item(i | name), Worksheet.UsedRange / Range(address) /
   Comments / Protect / Unprotect / Delete / Hyperlinks.Add, Range.Value2 (2-D, or one value for
   one cell), Formula, Row, Column, Address(), MergeArea, Interior.Color (BGR) / ColorIndex /
   Pattern, Style, Comment, AddComment(text), Font, union addresses "A1:B2,D5".
   A protected sheet refuses any change to a locked cell (the template's locked cells are every
   cell whose named style is not "bb-input"), as WPS does; deleting a sheet with alerts on records
   the prompt WPS would show.

   Every property read or write and every method call is counted (`calls`), and `Range(...)` calls
   separately (`ranges`): the measure of round trips into WPS. `load(book)` takes the workbook as
   tests/wpsbook.py writes it; `dump()` gives it back in the same form. */
"use strict";

const XL_NONE = -4142;

function letter(col) {
  let text = "";
  while (col > 0) {
    const rest = (col - 1) % 26;
    text = String.fromCharCode(65 + rest) + text;
    col = (col - rest - 1) / 26;
  }
  return text;
}

function number(letters) {
  let n = 0;
  for (const ch of letters) n = n * 26 + ch.charCodeAt(0) - 64;
  return n;
}

function parseArea(text) {
  const [a, b] = text.replace(/\$/g, "").toUpperCase().split(":");
  const p = /^([A-Z]+)(\d+)$/.exec(a), q = /^([A-Z]+)(\d+)$/.exec(b || a);
  if (!p || !q) throw new Error(`bad address ${text}`);
  const top = Math.min(+p[2], +q[2]), bottom = Math.max(+p[2], +q[2]);
  const left = Math.min(number(p[1]), number(q[1])), right = Math.max(number(p[1]), number(q[1]));
  return { top, left, bottom, right };
}

function areaText(area, absolute) {
  const d = absolute ? "$" : "";
  const first = `${d}${letter(area.left)}${d}${area.top}`;
  if (area.top === area.bottom && area.left === area.right) return first;
  return `${first}:${d}${letter(area.right)}${d}${area.bottom}`;
}

function hexToBgr(hex) {
  const n = parseInt(hex, 16);
  return ((n & 0xFF) << 16) | (n & 0xFF00) | ((n >> 16) & 0xFF);
}

function bgrToHex(value) {
  const n = Number(value) & 0xFFFFFF;
  const rgb = ((n & 0xFF) << 16) | (n & 0xFF00) | ((n >> 16) & 0xFF);
  return rgb.toString(16).toUpperCase().padStart(6, "0");
}

class Recorder {
  constructor() {
    this.calls = 0;
    this.ranges = 0;
    this.log = [];
    this.prompts = [];
  }

  note(what) {
    this.calls += 1;
    if (this.log.length < 100000) this.log.push(what);
  }
}

class Cell {
  constructor(data = {}) {
    this.v = data.v === undefined ? null : data.v;
    this.f = data.f || null;
    this.fill = data.fill || null;
    this.style = data.style || null;
    this.note = data.note === undefined ? null : data.note;
    this.author = data.author || "";
    this.font = data.font || {};
    this.wrap = !!data.wrap;
  }

  empty() {
    return this.v === null && !this.f && !this.fill && !this.style && this.note === null
      && !Object.keys(this.font).length && !this.wrap;
  }
}

class FakeSheet {
  constructor(book, data) {
    this.book = book;
    this.name = data.name;
    this.visible = data.visible === undefined ? -1 : data.visible;
    this.protected = !!data.protected;
    this.protectArgs = null;
    this.merges = (data.merges || []).map(parseArea);
    this.cells = new Map();
    this.widths = {};
    this.heights = {};
    this.links = {};
    this.autofilter = null;
    for (const c of data.cells || []) this.cells.set(`${c.r},${c.c}`, new Cell(c));
  }

  cell(r, c, create) {
    const key = `${r},${c}`;
    let cell = this.cells.get(key);
    if (!cell && create) {
      cell = new Cell();
      this.cells.set(key, cell);
    }
    return cell;
  }

  tidy(r, c) {
    const cell = this.cells.get(`${r},${c}`);
    if (cell && cell.empty()) this.cells.delete(`${r},${c}`);
  }

  merge(r, c) {
    return this.merges.find(m => r >= m.top && r <= m.bottom && c >= m.left && c <= m.right);
  }

  used() {
    let top = Infinity, left = Infinity, bottom = 1, right = 1;
    for (const key of this.cells.keys()) {
      const [r, c] = key.split(",").map(Number);
      top = Math.min(top, r); left = Math.min(left, c);
      bottom = Math.max(bottom, r); right = Math.max(right, c);
    }
    for (const m of this.merges) {
      top = Math.min(top, m.top); left = Math.min(left, m.left);
      bottom = Math.max(bottom, m.bottom); right = Math.max(right, m.right);
    }
    if (top === Infinity) return { top: 1, left: 1, bottom: 1, right: 1 };
    return { top, left, bottom, right };
  }

  guard(areas) {
    if (!this.protected) return;
    for (const area of areas) {
      for (let r = area.top; r <= area.bottom; r++) {
        for (let c = area.left; c <= area.right; c++) {
          const cell = this.cell(r, c, false);
          if (!cell || cell.style !== "bb-input") {
            throw new Error(`您试图更改的单元格或图表受保护（${this.name}!${letter(c)}${r}）`);
          }
        }
      }
    }
  }

  api() {
    const sheet = this, rec = this.book.rec;
    return {
      get Name() { rec.note(`${sheet.name}.Name`); return sheet.name; },
      set Name(value) {
        rec.note(`${sheet.name}.Name=`);
        if (sheet.book.sheets.some(s => s !== sheet && s.name === value)) throw new Error(`名称 ${value} 已被占用`);
        sheet.name = value;
      },
      Range(address) { rec.note(`${sheet.name}.Range(${address})`); rec.ranges += 1; return new FakeRange(sheet, address).api(); },
      get UsedRange() { rec.note(`${sheet.name}.UsedRange`); return new FakeRange(sheet, areaText(sheet.used(), false)).api(); },
      get Comments() {
        rec.note(`${sheet.name}.Comments`);
        const found = [...sheet.cells.entries()].filter(([, cell]) => cell.note !== null)
          .map(([key]) => key.split(",").map(Number)).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        return {
          get Count() { rec.note("Comments.Count"); return found.length; },
          Item(i) { rec.note("Comments.Item"); const [r, c] = found[i - 1]; return new FakeComment(sheet, r, c).api(); }
        };
      },
      get Visible() { rec.note(`${sheet.name}.Visible`); return sheet.visible; },
      set Visible(value) { rec.note(`${sheet.name}.Visible=`); sheet.visible = value; },
      get ProtectContents() { rec.note(`${sheet.name}.ProtectContents`); return sheet.protected; },
      Protect(...args) { rec.note(`${sheet.name}.Protect`); sheet.protected = args[2] !== false; sheet.protectArgs = args; },
      Unprotect() { rec.note(`${sheet.name}.Unprotect`); sheet.protected = false; },
      Delete() {
        rec.note(`${sheet.name}.Delete`);
        if (sheet.book.app.displayAlerts) rec.prompts.push(`删除 ${sheet.name}？`);
        sheet.book.sheets.splice(sheet.book.sheets.indexOf(sheet), 1);
        if (sheet.book.active === sheet) sheet.book.active = sheet.book.sheets.find(s => s.visible === -1);
      },
      Activate() { rec.note(`${sheet.name}.Activate`); sheet.book.active = sheet; sheet.book.selection = "A1"; },
      get Hyperlinks() {
        rec.note(`${sheet.name}.Hyperlinks`);
        return {
          Add(anchor, address, subAddress) {
            rec.note("Hyperlinks.Add");
            sheet.links[anchor.Address(false, false)] = subAddress;
          }
        };
      }
    };
  }
}

class FakeComment {
  constructor(sheet, r, c) {
    this.sheet = sheet;
    this.r = r;
    this.c = c;
  }

  api() {
    const self = this, rec = this.sheet.book.rec;
    const cell = () => self.sheet.cell(self.r, self.c, true);
    return {
      Text(text) {
        rec.note("Comment.Text");
        if (text !== undefined) cell().note = String(text);
        return cell().note;
      },
      get Author() { rec.note("Comment.Author"); return cell().author; },
      get Parent() { rec.note("Comment.Parent"); return new FakeRange(self.sheet, `${letter(self.c)}${self.r}`).api(); },
      Delete() {
        rec.note("Comment.Delete");
        self.sheet.guard([{ top: self.r, left: self.c, bottom: self.r, right: self.c }]);
        cell().note = null;
        cell().author = "";
        self.sheet.tidy(self.r, self.c);
      },
      get Shape() {
        rec.note("Comment.Shape");
        return {
          set Width(w) { rec.note("Shape.Width="); cell().noteWidth = w; },
          set Height(h) { rec.note("Shape.Height="); cell().noteHeight = h; }
        };
      }
    };
  }
}

class FakeRange {
  constructor(sheet, address) {
    this.sheet = sheet;
    this.areas = String(address).split(",").map(parseArea);
  }

  * each() {
    for (const area of this.areas) {
      for (let r = area.top; r <= area.bottom; r++) {
        for (let c = area.left; c <= area.right; c++) yield [r, c];
      }
    }
  }

  api() {
    const range = this, sheet = this.sheet, rec = sheet.book.rec;
    const first = this.areas[0];
    const read = fn => {
      const rows = [];
      for (let r = first.top; r <= first.bottom; r++) {
        const row = [];
        for (let c = first.left; c <= first.right; c++) row.push(fn(sheet.cell(r, c, false)));
        rows.push(row);
      }
      return first.top === first.bottom && first.left === first.right ? rows[0][0] : rows;
    };
    const change = (fn) => {
      sheet.guard(range.areas);
      for (const [r, c] of range.each()) {
        fn(sheet.cell(r, c, true));
        sheet.tidy(r, c);
      }
    };
    return {
      get Value2() { rec.note("Range.Value2"); return read(cell => (cell ? cell.v : undefined)); },
      set Value2(values) {
        rec.note("Range.Value2=");
        sheet.guard(range.areas);
        const rows = Array.isArray(values) ? values : [[values]];
        const height = first.bottom - first.top + 1, width = first.right - first.left + 1;
        if (rows.length !== height || rows.some(row => row.length !== width)) {
          throw new Error(`2-D array does not fit ${areaText(first, false)}`);
        }
        rows.forEach((row, i) => row.forEach((value, j) => {
          const cell = sheet.cell(first.top + i, first.left + j, true);
          // a leading apostrophe makes the rest text, as typing it does
          cell.v = typeof value === "string" && value.startsWith("'") ? value.slice(1) : (value === "" ? null : value);
          cell.f = null;
          sheet.tidy(first.top + i, first.left + j);
        }));
      },
      get Formula() {
        rec.note("Range.Formula");
        return read(cell => (!cell ? "" : cell.f ? cell.f : cell.v === null ? "" : String(cell.v)));
      },
      get Row() { rec.note("Range.Row"); return first.top; },
      get Column() { rec.note("Range.Column"); return first.left; },
      Address(rowAbsolute, columnAbsolute) {
        rec.note("Range.Address");
        const absolute = rowAbsolute !== false || columnAbsolute !== false;
        return range.areas.map(a => areaText(a, absolute)).join(",");
      },
      get MergeArea() {
        rec.note("Range.MergeArea");
        const m = sheet.merge(first.top, first.left);
        return new FakeRange(sheet, m ? areaText(m, false) : `${letter(first.left)}${first.top}`).api();
      },
      get Interior() {
        rec.note("Range.Interior");
        const top = () => sheet.cell(first.top, first.left, false);
        return {
          get Color() { rec.note("Interior.Color"); const c = top(); return c && c.fill ? hexToBgr(c.fill) : 16777215; },
          set Color(value) { rec.note("Interior.Color="); change(cell => { cell.fill = bgrToHex(value); }); },
          get ColorIndex() { rec.note("Interior.ColorIndex"); const c = top(); return c && c.fill ? 1 : XL_NONE; },
          set ColorIndex(value) {
            rec.note("Interior.ColorIndex=");
            if (value !== XL_NONE) throw new Error("only xlNone is modelled");
            change(cell => { cell.fill = null; });
          },
          get Pattern() { rec.note("Interior.Pattern"); const c = top(); return c && c.fill ? 1 : XL_NONE; }
        };
      },
      get Style() {
        rec.note("Range.Style");
        const names = new Set();
        for (const [r, c] of range.each()) {
          const cell = sheet.cell(r, c, false);
          names.add(cell && cell.style ? cell.style : "Normal");
        }
        return names.size === 1 ? { Name: [...names][0] } : null;
      },
      set Style(name) { rec.note("Range.Style="); change(cell => { cell.style = name === "Normal" ? null : name; }); },
      get Comment() {
        rec.note("Range.Comment");
        const cell = sheet.cell(first.top, first.left, false);
        return cell && cell.note !== null ? new FakeComment(sheet, first.top, first.left).api() : null;
      },
      AddComment(text) {
        rec.note("Range.AddComment");
        sheet.guard([{ top: first.top, left: first.left, bottom: first.top, right: first.left }]);
        const cell = sheet.cell(first.top, first.left, true);
        if (cell.note !== null) throw new Error("该单元格已有批注");
        cell.note = text === undefined ? "" : String(text);
        cell.author = sheet.book.app.userName;
        return new FakeComment(sheet, first.top, first.left).api();
      },
      get Font() {
        rec.note("Range.Font");
        const set = (key) => value => { rec.note(`Font.${key}=`); change(cell => { cell.font = { ...cell.font, [key]: value }; }); };
        return {
          set Bold(v) { set("Bold")(v); },
          set Size(v) { set("Size")(v); },
          set Color(v) { set("Color")(bgrToHex(v)); },
          set Underline(v) { set("Underline")(v); }
        };
      },
      set WrapText(value) { rec.note("Range.WrapText="); change(cell => { cell.wrap = !!value; }); },
      set ColumnWidth(value) { rec.note("Range.ColumnWidth="); sheet.widths[letter(first.left)] = value; },
      set RowHeight(value) { rec.note("Range.RowHeight="); sheet.heights[first.top] = value; },
      AutoFilter() { rec.note("Range.AutoFilter"); sheet.autofilter = areaText(first, false); },
      Select() { rec.note("Range.Select"); sheet.book.selection = range.areas.map(a => areaText(a, false)).join(","); }
    };
  }
}

class FakeWps {
  /* `book`: {name, fullName, saved, active (index), selection, sheets: [{name, visible,
     protected, merges, cells: [{r, c, v, f, fill, style, note, author}]}]} */
  constructor(book) {
    this.rec = new Recorder();
    this.app = { displayAlerts: true, userName: "WPS 用户" };
    this.settings = { ScreenUpdating: true, EnableEvents: true, DisplayAlerts: true, Calculation: -4105 };
    this.statusBar = false;
    this.statusHistory = [];
    this.opened = [];
    this.load(book);
  }

  load(book) {
    this.name = book.name;
    this.fullName = book.fullName || book.name;
    this.saved = book.saved !== false;
    this.sheets = book.sheets.map(data => new FakeSheet(this, data));
    this.active = this.sheets[book.active || 0];
    this.selection = book.selection || "A1";
  }

  get log() {
    return this.rec.log;
  }

  dump() {
    return {
      name: this.name, fullName: this.fullName, saved: this.saved,
      active: this.sheets.indexOf(this.active), selection: this.selection,
      sheets: this.sheets.map(sheet => ({
        name: sheet.name, visible: sheet.visible, protected: sheet.protected, protectArgs: sheet.protectArgs,
        merges: sheet.merges.map(m => areaText(m, false)), widths: sheet.widths, heights: sheet.heights,
        links: sheet.links, autofilter: sheet.autofilter,
        cells: [...sheet.cells.entries()].map(([key, cell]) => {
          const [r, c] = key.split(",").map(Number);
          return { r, c, v: cell.v, f: cell.f, fill: cell.fill, style: cell.style, note: cell.note,
                   author: cell.author, font: cell.font, wrap: cell.wrap };
        })
      }))
    };
  }

  get Application() {
    const fake = this, rec = this.rec;
    const book = {
      get Name() { rec.note("Workbook.Name"); return fake.name; },
      get FullName() { rec.note("Workbook.FullName"); return fake.fullName; },
      get Saved() { rec.note("Workbook.Saved"); return fake.saved; },
      get Sheets() {
        rec.note("Workbook.Sheets");
        return {
          get Count() { rec.note("Sheets.Count"); return fake.sheets.length; },
          Item(which) {
            rec.note("Sheets.Item");
            const sheet = typeof which === "number" ? fake.sheets[which - 1] : fake.sheets.find(s => s.name === which);
            if (!sheet) throw new Error(`下标越界：${which}`);
            return sheet.api();
          },
          Add(before, after) {
            rec.note("Sheets.Add");
            let n = 1;
            while (fake.sheets.some(s => s.name === `Sheet${n}`)) n += 1;
            const sheet = new FakeSheet(fake, { name: `Sheet${n}` });
            const at = after ? fake.sheets.findIndex(s => s.name === after.Name) + 1 : 0;
            fake.sheets.splice(at, 0, sheet);
            fake.active = sheet;  // a new sheet becomes the active one
            return sheet.api();
          }
        };
      }
    };
    const settings = {};
    for (const key of Object.keys(this.settings)) {
      Object.defineProperty(settings, key, {
        enumerable: true,
        get() { rec.note(`Application.${key}`); return fake.settings[key]; },
        set(value) {
          rec.note(`Application.${key}=`);
          fake.settings[key] = value;
          if (key === "DisplayAlerts") fake.app.displayAlerts = value;
        }
      });
    }
    // defineProperties, not assign: assign would call the getters once and copy their values
    return Object.defineProperties(settings, Object.getOwnPropertyDescriptors({
      get ActiveWorkbook() { rec.note("Application.ActiveWorkbook"); return book; },
      get ActiveSheet() { rec.note("Application.ActiveSheet"); return fake.active.api(); },
      get Selection() { rec.note("Application.Selection"); return new FakeRange(fake.active, fake.selection).api(); },
      get StatusBar() { rec.note("Application.StatusBar"); return fake.statusBar; },
      set StatusBar(text) { rec.note("Application.StatusBar="); fake.statusBar = text; fake.statusHistory.push(text); },
      get Workbooks() {
        rec.note("Application.Workbooks");
        return { Open(path) { rec.note("Workbooks.Open"); fake.opened.push(path); } };
      }
    }));
  }
}

module.exports = { FakeWps, hexToBgr, bgrToHex, parseArea };

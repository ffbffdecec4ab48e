/* client.js against the recording fake of WPS (fake_wps.js).

   The first tests need nothing else. The end-to-end tests need a running `budgetbook serve` and
   the workbooks dumped by Python: tests/test_wps_addin.py starts both and sets BUDGETBOOK_URL,
   BUDGETBOOK_TOKEN, BUDGETBOOK_BOOKS (the dumped workbooks) and BUDGETBOOK_OUT (where the
   workbooks as WPS ends with them are written for pytest to compare with the command line). */
"use strict";

const { test } = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const client = require("../client.js");
const { FakeWps } = require("./fake_wps.js");

function book(sheets, extra) {
  return Object.assign({ name: "测试.xlsx", fullName: "/tmp/测试.xlsx", sheets }, extra || {});
}

function cellOf(fake, sheet, r, c) {
  return fake.sheets.find(s => s.name === sheet).cell(r, c, false);
}

test("colours go to WPS as BGR integers and come back as RRGGBB", () => {
  assert.equal(client.bgr("FFC7CE"), 0xCEC7FF);
  assert.equal(client.bgr("0563C1"), 0xC16305);
  assert.equal(client.hexOf(0xCEC7FF), "FFC7CE");
  assert.equal(client.hexOf(client.bgr("DDEBF7")), "DDEBF7");
  assert.deepEqual(client.cellsOf("A1:B2,D5"), ["A1", "B1", "A2", "B2", "D5"]);
  assert.equal(client.letter(28), "AB");
});

test("a sheet is read in one Value2 call and padded to A1 when its used range starts lower", () => {
  const fake = new FakeWps(book([{ name: "表一", cells: [
    { r: 3, c: 2, v: "标题" }, { r: 4, c: 3, v: 12.5, f: "=10+2.5" },
    { r: 5, c: 4, v: null, note: "请核对", author: "会计" }] }]));
  const snapshot = client.readBook(fake.Application, true);
  const [sheet] = snapshot.sheets;
  assert.deepEqual(sheet.values, [[], [], [null, "标题", null, null], [null, null, 12.5, null], [null, null, null, null]]);
  assert.deepEqual(sheet.formulas, ["C4"]);
  assert.deepEqual(sheet.notes, [["D5", "请核对", "会计"]]);
  assert.equal(fake.log.filter(x => x === "Range.Value2").length, 1);
  // one cell only: Value2 is the value itself, not a 2-D array
  const single = new FakeWps(book([{ name: "S", cells: [{ r: 2, c: 2, v: 7 }] }]));
  assert.deepEqual(client.readBook(single.Application, true).sheets[0].values, [[], [null, 7]]);
});

test("actions are carried out in blocks, on protected sheets, and the protection comes back", () => {
  const fake = new FakeWps(book([{ name: "表六", protected: true, cells: [
    { r: 5, c: 4, v: 1, style: "bb-derived", fill: "D9D9D9" }, { r: 6, c: 4, v: 2, style: "bb-input" },
    { r: 7, c: 4, v: 3, style: "bb-input", note: "原批注" }] },
  { name: "校验结果", cells: [{ r: 1, c: 1, v: "旧" }] }]));
  const app = fake.Application;
  app.DisplayAlerts = false;
  client.applyActions(app, [
    { do: "removeSheet", sheet: "校验结果" },
    { do: "setValues", sheet: "表六", range: "D5:D7", values: [[9], [2], ["'=文字"]] },
    { do: "restyle", sheet: "表六", ranges: ["D5:D6"], from: "bb-input", to: "bb-derived" },
    { do: "setFill", sheet: "表六", ranges: ["D5,D7"], color: "FFC7CE" },
    { do: "setFill", sheet: "表六", ranges: ["D6"], color: null },
    { do: "setNote", sheet: "表六", cell: "D7", text: "[T6.rollup] 合计不符", author: "budgetbook", width: 320, height: 80 },
    { do: "addSheet", sheet: "校验结果", values: [["序号", "规则"], [1, "T6.rollup"]], widths: { A: 6 },
      heights: { 2: 30 }, formats: [{ ranges: ["A1:B1"], bold: true }, { ranges: ["B2"], color: "0563C1" }],
      links: [{ cell: "B2", to: "'表六'!D7" }], state: "visible", autofilter: "A1:B2" },
    { do: "addSheet", sheet: "_budgetbook_marks", values: [["budgetbook-marks", 2]], widths: {}, heights: {},
      formats: [], links: [], state: "veryHidden", autofilter: null }
  ], () => {});
  const six = fake.sheets.find(s => s.name === "表六");
  assert.equal(six.protected, true);
  assert.deepEqual(six.protectArgs.slice(0, 4), ["", false, true, false]);
  assert.equal(cellOf(fake, "表六", 5, 4).v, 9);
  assert.equal(cellOf(fake, "表六", 7, 4).v, "=文字");  // text, never a formula
  assert.equal(cellOf(fake, "表六", 6, 4).style, "bb-derived");  // it had the old style
  assert.equal(cellOf(fake, "表六", 5, 4).style, "bb-derived");
  assert.equal(cellOf(fake, "表六", 5, 4).fill, "FFC7CE");
  assert.equal(cellOf(fake, "表六", 6, 4).fill, null);
  assert.equal(cellOf(fake, "表六", 7, 4).note, "[T6.rollup] 合计不符");
  assert.deepEqual(fake.sheets.map(s => [s.name, s.visible]), [["表六", -1], ["校验结果", -1], ["_budgetbook_marks", 2]]);
  const results = fake.sheets[1];
  assert.equal(results.cell(2, 2, false).v, "T6.rollup");
  assert.equal(results.links.B2, "'表六'!D7");
  assert.equal(results.cell(1, 1, false).font.Bold, true);
  assert.equal(results.cell(2, 2, false).font.Color, "0563C1");
  assert.equal(fake.log.filter(x => x === "Range.Value2=").length, 3);  // one block per sheet written
  assert.deepEqual(fake.rec.prompts, []);
});

test("a button press asks again with the looks the service wants, then restores WPS as it was", async () => {
  const fake = new FakeWps(book([
    { name: "表一", cells: [{ r: 1, c: 1, v: "标题" }] },
    { name: "表三", merges: ["D5:E5"], cells: [{ r: 5, c: 4, v: 233, fill: "D9D9D9" }] }], { active: 1, selection: "B7" }));
  const sent = [];
  const replies = [
    { status: 1, message: "…", need: { "表三": ["E5"] } },
    { status: 1, message: "…", need: { "表三": ["D5"] } },
    { status: 1, message: "发现 1 个错误，已标记 1 个单元格，详见「校验结果」。", actions: [
      { do: "setFill", sheet: "表三", ranges: ["D5"], color: "FFC7CE" },
      { do: "addSheet", sheet: "校验结果", values: [["预算公开表校验结果"]], widths: {}, heights: {}, formats: [],
        links: [], state: "visible", autofilter: null }] }];
  const post = (where, body) => { sent.push(JSON.parse(JSON.stringify(body))); return Promise.resolve(replies.shift()); };
  const shown = [];
  const reply = await client.press(fake.Application, "check", { post, alert: text => shown.push(text) });
  assert.equal(reply.status, 1);
  assert.deepEqual(shown, ["发现 1 个错误，已标记 1 个单元格，详见「校验结果」。"]);
  assert.equal(sent.length, 3);
  assert.deepEqual(sent[1].looks, { "表三": { E5: { fill: "none", merge: "D5:E5" } } });
  assert.deepEqual(sent[2].looks["表三"].D5, { fill: "D9D9D9", merge: "D5:E5" });
  assert.equal(cellOf(fake, "表三", 5, 4).fill, "FFC7CE");
  assert.equal(fake.active.name, "表三");  // adding 校验结果 made it active; the user's sheet is back
  assert.equal(fake.selection, "B7");
  assert.deepEqual(fake.settings, { ScreenUpdating: true, EnableEvents: true, DisplayAlerts: true, Calculation: -4105 });
  assert.equal(fake.statusBar, false);
  assert.ok(fake.statusHistory.includes("正在校验…"));
});

test("without the service the user reads one sentence and nothing changes", async () => {
  const fake = new FakeWps(book([{ name: "表一", cells: [{ r: 1, c: 1, v: "标题" }] }]));
  const post = client.transport("http://127.0.0.1:9", "x", () => Promise.reject(new Error("ECONNREFUSED")));
  const shown = [];
  const reply = await client.press(fake.Application, "fill", { post, alert: text => shown.push(text) });
  assert.equal(reply.status, 2);
  assert.match(shown[0], /无法连接 budgetbook 服务，工作簿没有改动/);
  assert.match(shown[0], /运行 budgetbook serve/);
  assert.equal(fake.settings.ScreenUpdating, true);
});

// --- end to end, with the real service -------------------------------------------------------

const URL_ = process.env.BUDGETBOOK_URL;
const BOOKS = process.env.BUDGETBOOK_BOOKS;
const OUT = process.env.BUDGETBOOK_OUT;
const needService = URL_ && BOOKS && OUT ? false : "needs budgetbook serve: run through pytest (tests/test_wps_addin.py)";

function loaded(name) {
  return new FakeWps(JSON.parse(fs.readFileSync(path.join(BOOKS, `${name}.json`), "utf8")));
}

async function pressed(fake, key) {
  const post = client.transport(URL_, process.env.BUDGETBOOK_TOKEN, fetch);
  const shown = [];
  const before = { calls: fake.rec.calls, ranges: fake.rec.ranges };
  const reply = await client.press(fake.Application, key, { post, alert: text => shown.push(text) });
  assert.deepEqual(shown, [reply.message]);
  assert.deepEqual(fake.rec.prompts, []);
  return { reply, calls: fake.rec.calls - before.calls, ranges: fake.rec.ranges - before.ranges };
}

function save(name, fake, run) {
  fs.writeFileSync(path.join(OUT, `${name}.json`), JSON.stringify({
    state: fake.dump(), status: run.reply.status, message: run.reply.message, calls: run.calls, ranges: run.ranges
  }));
}

test("fill, check-and-mark and clear over loopback, for the example and ten times its rows", { skip: needService }, async () => {
  const counts = {};
  for (const n of [1, 10]) {
    const raw = loaded(`dept${n}`);
    const fill = await pressed(raw, "fill");
    assert.equal(fill.reply.status, 0, fill.reply.message);
    save(`fill${n}`, raw, fill);

    const marked = loaded(`filled${n}`);
    const check = await pressed(marked, "check");
    assert.equal(check.reply.status, 1, check.reply.message);
    save(`check${n}`, marked, check);
    const clear = await pressed(marked, "clear");
    assert.equal(clear.reply.status, 0, clear.reply.message);
    save(`clear${n}`, marked, clear);
    counts[n] = { fill: [fill.calls, fill.ranges], check: [check.calls, check.ranges], clear: [clear.calls, clear.ranges] };
  }
  fs.writeFileSync(path.join(OUT, "counts.json"), JSON.stringify(counts));
  assert.deepEqual(counts[10], counts[1]);
});

test("export from WPS refuses while errors remain, naming the button to press", { skip: needService }, async () => {
  const fake = loaded("filled1");
  const run = await pressed(fake, "export");
  assert.equal(run.reply.status, 1);
  assert.match(run.reply.message, /仍有 1 处错误.*校验并标记/);
});

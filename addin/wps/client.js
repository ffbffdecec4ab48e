/* budgetbook for WPS表格: read the workbook, ask the local budgetbook service, carry out its
   actions. Plain JavaScript (ES5 and Promise, no build step), loaded by index.html in WPS and by
   `require` in the node tests (addin/wps/test/), which drive it against a recording fake of
   WPS's object model.

   Every call into WPS crosses from the page into the spreadsheet, so the calls follow the Excel
   add-in's rule: one Value2 read per sheet (plus its formulas and notes), fills and merged areas
   only of the cells the service asks about, values written as whole 2-D blocks, one colour call per
   range, notes only on the cells a plan names. The number of calls follows the findings, never the
   rows. */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.BudgetbookWps = factory();
  }
}(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  var XL_NONE = -4142;               // xlNone / xlColorIndexNone: no fill
  var XL_UNDERLINE_SINGLE = 2;
  var XL_CALC_MANUAL = -4135;
  var SHEET_STATE = { visible: -1, hidden: 0, veryHidden: 2 };  // xlSheetVisible, …Hidden, …VeryHidden
  var MAX_ROUNDS = 5;                // snapshot → "need" → looks: two rounds in practice
  var TITLE = "预算公开助手";
  var START = {
    "new": "正在生成模板…", fill: "正在填写合计…", check: "正在校验…", clear: "正在清除标记…",
    "export": "正在导出…", email: "正在生成邮件草稿…", narrative: "正在生成情况说明…"
  };
  var busy = false;

  // --- colours: the service speaks RRGGBB, WPS (like Excel's COM) BGR integers ---

  function bgr(hex) {
    var n = parseInt(hex, 16);
    return ((n & 0xFF) << 16) | (n & 0xFF00) | ((n >> 16) & 0xFF);
  }

  function hexOf(value) {
    var n = Number(value) & 0xFFFFFF;
    var rgb = ((n & 0xFF) << 16) | (n & 0xFF00) | ((n >> 16) & 0xFF);
    return ("000000" + rgb.toString(16).toUpperCase()).slice(-6);
  }

  // --- addresses ---

  function letter(col) {
    var text = "";
    while (col > 0) {
      var rest = (col - 1) % 26;
      text = String.fromCharCode(65 + rest) + text;
      col = (col - rest - 1) / 26;
    }
    return text;
  }

  function number(letters) {
    var n = 0;
    for (var i = 0; i < letters.length; i++) {
      n = n * 26 + (letters.charCodeAt(i) - 64);
    }
    return n;
  }

  function addressOf(range) {
    var text = typeof range.Address === "function" ? range.Address(false, false) : range.Address;
    return String(text).replace(/\$/g, "");
  }

  /* "A1:B2,D5" → every cell, in order (a fallback that costs one call per cell) */
  function cellsOf(address) {
    var out = [];
    String(address).split(",").forEach(function (area) {
      var ends = area.split(":");
      var a = /^([A-Z]+)(\d+)$/.exec(ends[0]);
      var b = /^([A-Z]+)(\d+)$/.exec(ends[1] || ends[0]);
      for (var r = +a[2]; r <= +b[2]; r++) {
        for (var c = number(a[1]); c <= number(b[1]); c++) {
          out.push(letter(c) + r);
        }
      }
    });
    return out;
  }

  // --- reading ---

  function grid(value) {
    // Value2 of a range: rows of values, or the value itself when the range is one cell
    if (Array.isArray(value)) {
      return value.map(function (row) { return Array.isArray(row) ? row : [row]; });
    }
    return [[value]];
  }

  function plain(value) {
    return value === undefined || value === "" ? null : value;
  }

  function commentText(comment) {
    return String(typeof comment.Text === "function" ? comment.Text() : comment.Text || "");
  }

  function readSheet(ws) {
    var out = { name: ws.Name, values: [], formulas: [], notes: [] };
    var used = ws.UsedRange;
    if (!used) {
      return out;  // a chart sheet
    }
    var top = used.Row, left = used.Column;
    var values = grid(used.Value2), formulas = grid(used.Formula);
    var pad = [];
    for (var c = 1; c < left; c++) {
      pad.push(null);
    }
    for (var r = 1; r < top; r++) {
      out.values.push([]);  // the service reads from A1: the used range may start lower down
    }
    values.forEach(function (row, i) {
      out.values.push(pad.concat(row.map(plain)));
      (formulas[i] || []).forEach(function (formula, j) {
        if (typeof formula === "string" && formula.charAt(0) === "=") {
          out.formulas.push(letter(left + j) + (top + i));
        }
      });
    });
    var comments = ws.Comments;
    var count = comments ? comments.Count : 0;
    for (var k = 1; k <= count; k++) {
      var comment = comments.Item(k);
      out.notes.push([addressOf(comment.Parent), commentText(comment), String(comment.Author || "")]);
    }
    return out;
  }

  function bookInfo(wb) {
    return { name: String(wb.Name || ""), path: String(wb.FullName || ""), saved: wb.Saved !== false };
  }

  function readBook(app, withSheets) {
    var wb = app.ActiveWorkbook;
    var sheets = [];
    if (withSheets) {
      var count = wb.Sheets.Count;
      for (var i = 1; i <= count; i++) {
        sheets.push(readSheet(wb.Sheets.Item(i)));
      }
    }
    return { version: 1, book: bookInfo(wb), sheets: sheets, looks: {} };
  }

  /* the fills and merged areas the service asked about, added to `looks` */
  function readLooks(app, need, looks) {
    var wb = app.ActiveWorkbook;
    Object.keys(need).forEach(function (name) {
      var ws = wb.Sheets.Item(name);
      var cells = looks[name] || (looks[name] = {});
      need[name].forEach(function (addr) {
        var range = ws.Range(addr);
        var merged = addressOf(range.MergeArea);
        var interior = range.Interior;
        var pattern = interior.Pattern;
        var none = pattern === undefined ? interior.ColorIndex === XL_NONE : pattern === XL_NONE;
        cells[addr] = { fill: none ? "none" : hexOf(interior.Color), merge: merged.indexOf(":") > 0 ? merged : null };
      });
    });
    return looks;
  }

  // --- applying the service's actions ---

  function styleName(style) {
    if (style === null || style === undefined) {
      return null;  // mixed styles in the range
    }
    return typeof style === "string" ? style : style.Name;
  }

  function restyle(ws, action) {
    // Only cells that still have the old named style change. One read per range: a range whose
    // cells all have the new style already (the usual case) costs nothing more.
    action.ranges.forEach(function (address) {
      var range = ws.Range(address);
      var current = styleName(range.Style);
      if (current === action.to) {
        return;
      }
      if (current === action.from) {
        range.Style = action.to;
        return;
      }
      cellsOf(address).forEach(function (addr) {
        var cell = ws.Range(addr);
        if (styleName(cell.Style) === action.from) {
          cell.Style = action.to;
        }
      });
    });
  }

  function setNote(ws, action) {
    var range = ws.Range(action.cell);
    var current = range.Comment;
    if (current) {
      current.Delete();
    }
    if (action.text === null || action.text === undefined) {
      return;
    }
    var added = range.AddComment(action.text);
    if (added && action.width && action.height) {
      try {  // large enough to read without resizing
        added.Shape.Width = action.width;
        added.Shape.Height = action.height;
      } catch (e) { /* a note keeps WPS's default size */ }
    }
  }

  function format(ws, look) {
    look.ranges.forEach(function (address) {
      var range = ws.Range(address);
      if (look.bold) { range.Font.Bold = true; }
      if (look.size) { range.Font.Size = look.size; }
      if (look.color) { range.Font.Color = bgr(look.color); }
      if (look.underline) { range.Font.Underline = XL_UNDERLINE_SINGLE; }
      if (look.fill) { range.Interior.Color = bgr(look.fill); }
      if (look.wrap) { range.WrapText = true; }
    });
  }

  function addSheet(wb, action) {
    var sheets = wb.Sheets;
    var ws = sheets.Add(null, sheets.Item(sheets.Count));
    ws.Name = action.sheet;
    var rows = action.values || [];
    var width = rows.length ? rows[0].length : 0;
    if (width) {
      ws.Range("A1:" + letter(width) + rows.length).Value2 = rows;
    }
    Object.keys(action.widths || {}).forEach(function (col) {
      ws.Range(col + "1").ColumnWidth = action.widths[col];
    });
    Object.keys(action.heights || {}).forEach(function (row) {
      ws.Range("A" + row).RowHeight = action.heights[row];
    });
    (action.formats || []).forEach(function (look) { format(ws, look); });
    (action.links || []).forEach(function (link) {
      ws.Hyperlinks.Add(ws.Range(link.cell), "", link.to);
    });
    if (action.autofilter) {
      try { ws.Range(action.autofilter).AutoFilter(); } catch (e) { /* a list without a filter */ }
    }
    if (action.state && action.state !== "visible") {
      ws.Visible = SHEET_STATE[action.state];
    }
  }

  var CELL_ACTIONS = { setValues: true, restyle: true, setFill: true, setNote: true };

  function protect(ws) {
    // the template's protection: totals locked, rows insertable and deletable, sizes adjustable
    // (Password, DrawingObjects, Contents, Scenarios, UserInterfaceOnly, AllowFormattingCells,
    //  AllowFormattingColumns, AllowFormattingRows, AllowInsertingColumns, AllowInsertingRows,
    //  AllowInsertingHyperlinks, AllowDeletingColumns, AllowDeletingRows)
    ws.Protect("", false, true, false, false, false, true, true, false, true, false, false, true);
  }

  function applyActions(app, actions, progress) {
    var wb = app.ActiveWorkbook;
    var sheets = {};
    function sheet(name) {
      return sheets[name] || (sheets[name] = wb.Sheets.Item(name));
    }
    var relock = [];
    actions.forEach(function (action) {
      if (CELL_ACTIONS[action.do] && relock.indexOf(action.sheet) < 0 && sheet(action.sheet).ProtectContents) {
        relock.push(action.sheet);
      }
    });
    // the template's sheets are protected without a password: WPS refuses any write to a locked
    // cell, ours as the user's, so protection is lifted for the writes and put back after
    relock.forEach(function (name) { sheet(name).Unprotect(); });
    var said = {};
    try {
      actions.forEach(function (action) {
        if (CELL_ACTIONS[action.do] && !said[action.sheet]) {
          said[action.sheet] = true;
          progress("正在写入" + action.sheet + "…");
        }
        switch (action.do) {
          case "removeSheet":
            sheet(action.sheet).Delete();
            delete sheets[action.sheet];
            break;
          case "setValues":
            sheet(action.sheet).Range(action.range).Value2 = action.values;
            break;
          case "restyle":
            restyle(sheet(action.sheet), action);
            break;
          case "setFill":
            action.ranges.forEach(function (address) {
              var interior = sheet(action.sheet).Range(address).Interior;
              if (action.color) {
                interior.Color = bgr(action.color);
              } else {
                interior.ColorIndex = XL_NONE;
              }
            });
            break;
          case "setNote":
            setNote(sheet(action.sheet), action);
            break;
          case "addSheet":
            addSheet(wb, action);
            break;
          case "activate":
            sheet(action.sheet).Activate();
            break;
          default:
            throw new Error("unknown action " + action.do);
        }
      });
    } finally {
      relock.forEach(function (name) { protect(sheet(name)); });
    }
  }

  // --- one button press ---

  function quiet(app) {
    // no repainting, events, recalculation or prompts (deleting a sheet asks) while we work
    var saved = [];
    [["ScreenUpdating", false], ["EnableEvents", false], ["DisplayAlerts", false],
     ["Calculation", XL_CALC_MANUAL]].forEach(function (pair) {
      try {
        var before = app[pair[0]];
        app[pair[0]] = pair[1];
        saved.push([pair[0], before]);
      } catch (e) { /* a setting this WPS does not have */ }
    });
    return function () {
      saved.reverse().forEach(function (pair) {
        try { app[pair[0]] = pair[1]; } catch (e) { /* keep restoring the others */ }
      });
    };
  }

  function status(app, text) {
    try { app.StatusBar = text; } catch (e) { /* no status bar */ }
  }

  function place(app) {
    try {
      var selection = app.Selection;
      return { sheet: app.ActiveSheet.Name, cells: selection ? addressOf(selection) : null };
    } catch (e) {
      return null;
    }
  }

  function restore(app, where) {
    // the sheet and cells the user was on (adding a sheet makes it the active one)
    if (!where) {
      return;
    }
    try {
      var ws = app.ActiveWorkbook.Sheets.Item(where.sheet);
      ws.Activate();
      if (where.cells) {
        ws.Range(where.cells).Select();
      }
    } catch (e) { /* the sheet was removed (校验结果 by 清除标记): stay where WPS is */ }
  }

  function ask(app, post, key, snapshot, round) {
    return post("/api/button/" + key, snapshot).then(function (reply) {
      if (reply && reply.need) {
        if (round >= MAX_ROUNDS) {
          return { status: 3, message: "预算公开助手与服务的对话没有结束（反复要求读取单元格），未作任何改动；请把此情况报告给开发者。" };
        }
        readLooks(app, reply.need, snapshot.looks);
        return ask(app, post, key, snapshot, round + 1);
      }
      return reply;
    });
  }

  /* Run the button `key` on the active workbook; resolves to the service's reply
     {status, message, …} after the message was shown. */
  function press(app, key, options) {
    var show = options.alert || function () {};
    if (busy) {
      show("上一个操作还在进行中，请稍候。");
      return Promise.resolve({ status: 2, message: "上一个操作还在进行中，请稍候。" });
    }
    if (!app.ActiveWorkbook) {
      show("请先打开预算公开工作簿。");
      return Promise.resolve({ status: 2, message: "请先打开预算公开工作簿。" });
    }
    busy = true;
    var where = place(app);
    var loud = quiet(app);
    var progress = function (text) { status(app, text); };
    var finished = function (reply) {
      loud();
      status(app, false);
      restore(app, where);
      busy = false;
      show(reply.message);
      return reply;
    };
    progress(START[key] || "正在处理…");
    var reply;
    try {
      var snapshot = readBook(app, key !== "export" && key !== "email");
      reply = ask(app, options.post, key, snapshot, 1);
    } catch (error) {
      reply = Promise.reject(error);
    }
    return reply.then(function (answer) {
      if (answer.actions && answer.actions.length) {
        applyActions(app, answer.actions, progress);
      }
      if (answer.open) {
        app.Workbooks.Open(answer.open);
      }
      return finished(answer);
    }).catch(function (error) {
      return finished({ status: 3, message: "WPS 未能完成本次操作（" + (error && error.message || error) +
                        "），工作簿可能只改了一部分；请检查后重试，或把此信息发给开发者。" });
    });
  }

  /* POST as JSON with the token; any failure becomes a reply with one sentence */
  function transport(base, token, fetcher) {
    return function (path, body) {
      return fetcher(base + path, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Budgetbook-Token": token },
        body: JSON.stringify(body)
      }).then(function (response) {
        return response.json().catch(function () {
          return { status: 3, message: "budgetbook 服务的回答无法读取（HTTP " + response.status + "）。" };
        });
      }, function () {
        return { status: 2, message: "无法连接 budgetbook 服务，工作簿没有改动；服务本应在登录时自动启动：" +
                 "请注销后重新登录，或在终端（命令提示符）运行 budgetbook serve 并保持窗口打开，再点按钮。" };
      });
    };
  }

  return {
    TITLE: TITLE, bgr: bgr, hexOf: hexOf, letter: letter, cellsOf: cellsOf,
    readSheet: readSheet, readBook: readBook, readLooks: readLooks, applyActions: applyActions,
    press: press, transport: transport
  };
}));

/* The drag-and-drop page: send the dropped workbooks to budgetbook serve, follow each file's
   steps (cancel stops them), show the findings by sheet and by rule (collapsed, with counts),
   offer the marked, filled and exported files. The newest drop is on top. Every call carries
   the token the service wrote into this page. */
(function () {
  "use strict";
  var token = document.querySelector('meta[name="budgetbook-token"]').getAttribute("content");
  var drop = document.getElementById("drop");
  var input = document.getElementById("files");
  var state = document.getElementById("state");
  var results = document.getElementById("results");
  var LABELS = { built: "下载生成的工作簿", marked: "下载标记版", filled: "下载已填合计版", "export": "下载公开版",
                 pdf: "下载公开版 PDF" };

  function call(path, options) {
    options = options || {};
    options.headers = Object.assign({ "X-Budgetbook-Token": token }, options.headers || {});
    return fetch(path, options);
  }

  function el(name, attrs, children) {
    var node = document.createElement(name);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function cells(finding) {
    return (finding.cells || []).map(function (p) { return p.sheet === finding.sheet ? p.cell : p.sheet + "!" + p.cell; }).join("、");
  }

  function download(link, button) {
    button.disabled = true;
    call(link.url).then(function (response) {
      if (!response.ok) {
        return response.json().then(function (body) { throw new Error(body.message); });
      }
      return response.blob();
    }).then(function (blob) {
      var a = el("a", { href: URL.createObjectURL(blob), download: link.name });
      document.body.appendChild(a);
      a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 10000);
    }).catch(function (error) {
      state.textContent = error.message || "下载失败。";
    }).then(function () { button.disabled = false; });
  }

  var PAGE = 200;  // finding rows added at a time when a rule is opened
  var SEVERITY_WORDS = { error: "错误", warning: "警告", info: "提示" };

  // A rule's findings, collapsed: its title in Chinese, its id in small print, how many of each
  // severity. The rows are made only when it is opened (a workbook can have 20,000 findings).
  function ruleGroup(rule) {
    var counts = ["error", "warning", "info"].filter(function (s) { return rule.counts[s]; })
      .map(function (s) { return SEVERITY_WORDS[s] + " " + rule.counts[s]; }).join(" · ");
    var box = el("details", { "class": "rule-group " + rule.severity, "data-rule": rule.rule,
                              "data-count": String(rule.findings.length) }, [
      el("summary", {}, [el("span", { "class": "sev" }, [SEVERITY_WORDS[rule.severity]]), " ",
                         el("span", { "class": "title" }, [rule.title || rule.rule]), " ",
                         el("small", { "class": "rule" }, [rule.rule]), " ",
                         el("span", { "class": "count" }, [counts])])]);
    var shown = 0, table = null, more = null;
    function addRows() {
      var end = Math.min(rule.findings.length, shown + PAGE);
      var rows = document.createDocumentFragment();
      for (; shown < end; shown++) {
        var f = rule.findings[shown];
        rows.appendChild(el("tr", { "class": f.severity, "data-rule": f.rule }, [
          el("td", {}, [el("span", { "class": "sev" }, [SEVERITY_WORDS[f.severity]])]),
          el("td", {}, [f.message]),
          el("td", {}, [cells(f)])
        ]));
      }
      table.appendChild(rows);
      var left = rule.findings.length - shown;
      if (left > 0) {
        more.textContent = "再显示 " + Math.min(PAGE, left) + " 条（还有 " + left + " 条）";
      } else if (more) {
        more.remove();
      }
    }
    box.addEventListener("toggle", function () {
      if (!box.open || table) {
        return;
      }
      table = el("table", {}, [el("colgroup", {}, [
        el("col", { "class": "c-sev" }), el("col", {}), el("col", { "class": "c-cells" })])]);
      box.appendChild(table);
      if (rule.findings.length > PAGE) {
        more = el("button", { type: "button", "class": "more" }, []);
        more.addEventListener("click", addRows);
        box.appendChild(more);
      }
      addRows();
    });
    return box;
  }

  function show(file, box) {
    var fresh = el("section", { "class": "file" + (file.status >= 2 ? " bad" : ""), "data-id": file.id || "" });
    fresh.appendChild(el("h2", {}, [file.name]));
    fresh.appendChild(el("p", { "class": "summary" }, [file.message]));
    var bar = el("div", { "class": "downloads" });
    ["built", "marked", "filled", "export", "pdf"].forEach(function (kind) {
      var link = (file.downloads || {})[kind];
      if (link) {
        var button = el("button", { type: "button", "data-kind": kind }, [LABELS[kind]]);
        button.addEventListener("click", function () { download(link, button); });
        bar.appendChild(button);
      }
    });
    if (file.export_note) {
      bar.appendChild(el("span", { "class": "note" }, [file.export_note]));
      if (!(file.downloads || {})["export"] && file.status === 1) {
        var force = el("button", { type: "button", "data-kind": "force" }, ["仍然导出"]);
        force.addEventListener("click", function () {
          call("/api/files/" + file.id + "/export", {
            method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ force: true })
          }).then(function (r) { return r.json(); }).then(function (body) { show(body.files[0], fresh); });
        });
        bar.appendChild(force);
      }
    }
    fresh.appendChild(bar);
    (file.groups || []).forEach(function (group) {
      fresh.appendChild(el("h3", {}, [group.sheet, " ", el("span", { "class": "count" }, [group.count + " 处"])]));
      group.rules.forEach(function (rule) { fresh.appendChild(ruleGroup(rule)); });
    });
    box.replaceWith(fresh);
  }

  var STEP_WORDS = { queued: "排队中", read: "读取", build: "生成", check: "校验", mark: "标记", fill: "填写合计",
                     "export": "导出", done: "完成", cancelled: "已取消" };
  var POLL_MS = 250;

  // One row per dropped file: its name and the steps done so far, replaced by its result once it is finished.
  function progressRow(file, order) {
    var steps = el("ol", { "class": "steps" }, order.map(function (step) {
      return el("li", { "data-step": step }, [STEP_WORDS[step]]);
    }));
    return el("section", { "class": "file working", "data-index": String(file.index) }, [
      el("h2", {}, [file.name]), steps, el("p", { "class": "summary" }, [STEP_WORDS.queued])]);
  }

  function showStep(row, step, order) {
    var at = order.indexOf(step);
    Array.prototype.forEach.call(row.querySelectorAll(".steps li"), function (li, i) {
      li.className = i < at ? "did" : i === at ? "doing" : "";
    });
    row.querySelector(".summary").textContent = step === "queued" ? STEP_WORDS.queued : "正在" + STEP_WORDS[step] + " …";
  }

  function follow(job, box, stop) {
    var rows = {}, fetched = {}, shown = [];
    job.files.forEach(function (file) {
      rows[file.index] = progressRow(file, job.steps);
      box.appendChild(rows[file.index]);
    });
    function update(now) {
      now.files.forEach(function (file) {
        var row = rows[file.index];
        if (file.step === "done" || file.step === "cancelled") {
          if (!fetched[file.index]) {
            fetched[file.index] = true;
            shown.push(call("/api/jobs/" + job.id + "/files/" + file.index).then(function (r) { return r.json(); })
              .then(function (result) { show(result, row); }));
          }
        } else {
          showStep(row, file.step, job.steps);
        }
      });
      if (now.done) {
        stop.remove();
        var bad = now.files.filter(function (f) { return f.step === "cancelled"; }).length;
        Promise.all(shown).then(function () {
          setState("已处理 " + now.files.length + " 个文件" + (bad ? "，其中 " + bad + " 个已取消" : "") + "。");
        }).catch(lost);
        return;
      }
      setTimeout(poll, POLL_MS);
    }
    function poll() {
      call("/api/jobs/" + job.id).then(function (r) { return r.json(); }).then(update).catch(lost);
    }
    stop.addEventListener("click", function () {
      stop.disabled = true;
      call("/api/jobs/" + job.id + "/cancel", { method: "POST" }).then(function (r) { return r.json(); })
        .then(function () { setState("正在取消 …"); }).catch(lost);
    });
    update(job);
  }

  function setState(text) { state.textContent = text; }

  function lost() {
    setState("无法连接 budgetbook 服务；请确认 budgetbook serve 仍在运行，然后刷新本页。");
  }

  function send(files, kind) {
    if (!files.length) {
      return;
    }
    var form = new FormData();
    if (kind) {
      form.append("kind", kind);
      form.append("dept", document.getElementById("dept").value);
    }
    Array.prototype.forEach.call(files, function (file) { form.append("files", file, file.name); });
    var stop = el("button", { type: "button", "class": "cancel" }, ["取消"]);
    var box = el("div", { "class": "job" }, [el("div", { "class": "job-bar" }, [
      el("span", {}, [(kind === "build" ? "从明细生成：" : "本次放入 ") + files.length + " 个文件"]), stop])]);
    results.insertBefore(box, results.firstChild);  // the newest drop on top
    box.scrollIntoView({ block: "start" });
    setState("正在上传 " + files.length + " 个文件 …");
    call("/api/jobs", { method: "POST", body: form }).then(function (response) {
      return response.json();
    }).then(function (body) {
      if (!body.job) {
        box.remove();
        setState(body.message || "");
        return;
      }
      setState("正在处理 " + files.length + " 个文件 …");
      follow(body.job, box, stop);
    }).catch(lost);
  }

  function dropZone(zone, field, kind) {
    field.addEventListener("change", function () { send(field.files, kind); field.value = ""; });
    zone.addEventListener("dragover", function (e) { e.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
    zone.addEventListener("drop", function (e) {
      e.preventDefault();
      zone.classList.remove("over");
      send(e.dataTransfer.files, kind);
    });
  }

  dropZone(drop, input, "");
  dropZone(document.getElementById("ledger-drop"), document.getElementById("ledgers"), "build");
}());

/* The drag-and-drop page: send the dropped workbooks to budgetbook serve, show the findings by
   sheet with the rules' titles, offer the marked, filled and exported files. Every call carries
   the token the service wrote into this page. */
(function () {
  "use strict";
  var token = document.querySelector('meta[name="budgetbook-token"]').getAttribute("content");
  var drop = document.getElementById("drop");
  var input = document.getElementById("files");
  var state = document.getElementById("state");
  var results = document.getElementById("results");
  var LABELS = { marked: "下载标记版", filled: "下载已填合计版", "export": "下载公开版" };

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

  function show(file, box) {
    var fresh = el("section", { "class": "file" + (file.status >= 2 ? " bad" : ""), "data-id": file.id || "" });
    fresh.appendChild(el("h2", {}, [file.name]));
    fresh.appendChild(el("p", { "class": "summary" }, [file.message]));
    var bar = el("div", { "class": "downloads" });
    ["marked", "filled", "export"].forEach(function (kind) {
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
      fresh.appendChild(el("h3", {}, [group.sheet]));
      var table = el("table", {}, [el("colgroup", {}, [
        el("col", { "class": "c-sev" }), el("col", { "class": "c-rule" }), el("col", {}), el("col", { "class": "c-cells" })])]);
      group.findings.forEach(function (f) {
        table.appendChild(el("tr", { "class": f.severity, "data-rule": f.rule }, [
          el("td", {}, [el("span", { "class": "sev" }, [f.severity_label])]),
          el("td", { "class": "rule" }, [f.rule]),
          el("td", {}, [el("strong", {}, [f.title || ""]), el("br"), f.message]),
          el("td", {}, [cells(f)])
        ]));
      });
      fresh.appendChild(table);
    });
    if (box) {
      box.replaceWith(fresh);
    } else {
      results.appendChild(fresh);
    }
  }

  function send(files) {
    if (!files.length) {
      return;
    }
    var form = new FormData();
    Array.prototype.forEach.call(files, function (file) { form.append("files", file, file.name); });
    state.textContent = "正在检查 " + files.length + " 个工作簿 …";
    call("/api/files", { method: "POST", body: form }).then(function (response) {
      return response.json();
    }).then(function (body) {
      state.textContent = body.files ? "已检查 " + body.files.length + " 个工作簿。" : (body.message || "");
      (body.files || []).forEach(function (file) { show(file); });
    }).catch(function () {
      state.textContent = "无法连接 budgetbook 服务；请确认 budgetbook serve 仍在运行，然后刷新本页。";
    });
  }

  input.addEventListener("change", function () { send(input.files); input.value = ""; });
  drop.addEventListener("dragover", function (e) { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", function () { drop.classList.remove("over"); });
  drop.addEventListener("drop", function (e) {
    e.preventDefault();
    drop.classList.remove("over");
    send(e.dataTransfer.files);
  });
}());

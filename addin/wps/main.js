/* The ribbon callbacks WPS calls (names from ribbon.xml). Buttons are told apart by control.Id,
   "button_fill" → the key "fill" of workbook/buttons.py; the work is client.js's. */
/* global BudgetbookWps */

function budgetbookToken() {
  var meta = document.querySelector('meta[name="budgetbook-token"]');
  return meta ? meta.getAttribute("content") : "";
}

/* Where the service is: written in by the install (the add-in runs from WPS's own folder);
   empty when the service itself served this page (relative addresses, same origin). */
function budgetbookService() {
  var meta = document.querySelector('meta[name="budgetbook-service"]');
  var url = meta ? meta.getAttribute("content") : "";
  return /^https?:\/\//.test(url) ? url : "";
}

function budgetbookKey(control) {
  return String(control && control.Id || "").replace(/^button_/, "");
}

function OnAddinLoad(ribbonUI) {
  if (typeof window.Application.ribbonUI !== "object") {
    window.Application.ribbonUI = ribbonUI;
  }
  return true;
}

function OnAction(control) {
  // the tab never waits for the service: only a press talks to it (and says how to start it)
  var post = BudgetbookWps.transport(budgetbookService(), budgetbookToken(), window.fetch.bind(window));
  BudgetbookWps.press(window.Application, budgetbookKey(control), {
    post: post,
    alert: function (text) { window.alert(text); }
  });
  return true;
}

function GetImage(control) {
  return "images/" + budgetbookKey(control) + ".svg";
}

function OnGetEnabled(control) {
  return true;
}

/* The ribbon callbacks WPS calls (names from ribbon.xml). Buttons are told apart by control.Id,
   "button_fill" → the key "fill" of workbook/buttons.py; the work is client.js's. */
/* global BudgetbookWps */

function budgetbookToken() {
  var meta = document.querySelector('meta[name="budgetbook-token"]');
  return meta ? meta.getAttribute("content") : "";
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
  // same origin as the service that served this page: relative addresses, no CORS
  var post = BudgetbookWps.transport("", budgetbookToken(), window.fetch.bind(window));
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

"""The drag-and-drop page of `budgetbook serve` (index.html, page.js, page.css): served from the
package, no CDN, the token written into index.html when it is served."""

// Print button on the daily report (no inline scripts: CSP-friendly).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) { window.print(); }
});

// Print buttons and the availability quick-picks (no inline scripts: CSP-friendly).
document.addEventListener("click", function (e) {
  var printer = e.target.closest("[data-print]");
  if (printer) { e.preventDefault(); window.print(); return; }
  var pick = e.target.closest("[data-pick]");
  if (!pick) return;
  e.preventDefault();
  var mode = pick.getAttribute("data-pick");
  document.querySelectorAll("input[name=availability]").forEach(function (box) {
    var parts = box.value.split("-"), day = +parts[0], part = parts[1];
    if (mode === "none") box.checked = false;
    else if (mode === "all") box.checked = true;
    else if (mode === "weekend") box.checked = box.checked || day >= 5;
    else if (mode === "evenings") box.checked = box.checked || part === "evening";
    else if (mode === "daytime") box.checked = box.checked || part === "morning" || part === "afternoon";
  });
});

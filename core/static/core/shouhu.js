// Shared behaviour, no inline scripts (CSP): person-data reveal buttons and confirm prompts.
(function () {
  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }
  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest("[data-reveal]");
    if (!btn) return;
    ev.preventDefault();
    var body = new URLSearchParams();
    body.set("model", btn.dataset.model);
    body.set("pk", btn.dataset.pk);
    body.set("field", btn.dataset.reveal);
    fetch(btn.dataset.url || "/reveal/", {
      method: "POST", credentials: "same-origin",
      headers: {"X-CSRFToken": csrf(), "Content-Type": "application/x-www-form-urlencoded"},
      body: body.toString()
    }).then(function (r) { return r.json().then(function (d) { return [r.status, d]; }); })
      .then(function (res) {
        var target = document.getElementById(btn.dataset.target);
        if (res[0] === 200 && target) { target.textContent = res[1].value; btn.remove(); }
        else { alert(res[1].error || "无法查看"); }
      }).catch(function () { alert("网络异常,请稍后再试"); });
  });
  document.addEventListener("submit", function (ev) {
    var msg = ev.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) ev.preventDefault();
  });
})();

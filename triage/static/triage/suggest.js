/* Triage suggestions for an intake form (no inline script, no CDN).
 *
 * Markup contract (the hotline intake template):
 *   <form data-triage-suggest="/api/v1/triage/suggest" data-triage-feedback="/api/v1/triage/feedback">
 *     <textarea name="text">…  <input name="address">…  (other names: data-triage-text="content",
 *                                                    data-triage-address="…" on the form)
 *     <select name="street|community|category|department"> (any of them; option values are codes)
 *     <div data-triage-panel></div>          ← suggestions are rendered here
 *     <input type="hidden" name="triage_suggestion">  ← optional: the last suggestion (JSON) travels with the form
 *   </form>
 * data-triage-order-url="/hotline/orders/0/" on the form links probable duplicates (0 is replaced by the id).
 * While the operator types, suggestions appear with their reasons; "采用" fills the matching field.
 * On submit, what was kept or corrected is posted to the feedback endpoint (fire-and-forget).
 */
(function () {
  "use strict";
  var FIELDS = [["street", "街道"], ["community", "社区/村"], ["compound", "小区"], ["category", "分类"], ["department", "承办单位"]];

  function csrf() {
    var m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  function field(form, name) { return form.querySelector("[name='" + name + "']"); }

  function setValue(form, name, code, label) {
    var el = field(form, name);
    if (!el) return;
    if (el.tagName === "SELECT" && !Array.prototype.some.call(el.options, function (o) { return o.value === code; })) {
      var opt = document.createElement("option");
      opt.value = code; opt.textContent = label;
      el.appendChild(opt);
    }
    el.value = code;
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function render(form, panel, data) {
    panel.textContent = "";
    var list = document.createElement("dl");
    list.className = "kv";
    FIELDS.forEach(function (pair) {
      var item = data[pair[0]];
      if (!item) return;
      var dt = document.createElement("dt");
      dt.textContent = pair[1];
      var dd = document.createElement("dd");
      var name = document.createElement("strong");
      name.textContent = item.name + " ";
      var score = document.createElement("span");
      score.className = "pill " + (item.score >= 0.8 ? "ok" : item.score >= 0.6 ? "info" : "warn");
      score.textContent = Math.round(item.score * 100) + "%";
      var reason = document.createElement("div");
      reason.className = "muted small";
      reason.textContent = item.reason;
      dd.appendChild(name); dd.appendChild(score);
      if (field(form, pair[0])) {
        var btn = document.createElement("button");
        btn.type = "button"; btn.className = "btn secondary"; btn.textContent = "采用";
        btn.addEventListener("click", function () { setValue(form, pair[0], item.code, item.name); });
        dd.appendChild(document.createTextNode(" ")); dd.appendChild(btn);
      }
      dd.appendChild(reason);
      list.appendChild(dt); list.appendChild(dd);
    });
    if (data.routing && (data.routing.status === "outside" || data.routing.status === "unknown") && data.address) {
      var warn = document.createElement("p");
      warn.className = "flash-warn small";
      warn.textContent = data.routing.reason;
      panel.appendChild(warn);
    }
    panel.appendChild(list);
    renderDuplicates(form, panel, data.duplicates || []);
  }

  // Open orders probably about the same matter: the operator tells the caller it is already being handled,
  // and the dispatcher can merge the new order into it from the order page.
  function renderDuplicates(form, panel, duplicates) {
    if (!duplicates.length) return;
    var box = document.createElement("div");
    box.className = "flash-warn small";
    box.setAttribute("data-testid", "triage-duplicates");
    var title = document.createElement("strong");
    title.textContent = "可能重复的在办工单";
    box.appendChild(title);
    var list = document.createElement("ul");
    var pattern = form.getAttribute("data-triage-order-url");
    duplicates.forEach(function (d) {
      var li = document.createElement("li");
      var link = document.createElement(pattern ? "a" : "span");
      if (pattern) { link.href = pattern.replace("/0/", "/" + d.id + "/"); link.target = "_blank"; link.rel = "noopener"; }
      link.textContent = d.number;
      var score = document.createElement("span");
      score.className = "pill warn";
      score.textContent = Math.round(d.score * 100) + "%";
      li.appendChild(link); li.appendChild(document.createTextNode(" ")); li.appendChild(score);
      li.appendChild(document.createTextNode(" " + (d.reason || "")));
      list.appendChild(li);
    });
    box.appendChild(list);
    panel.appendChild(box);
  }

  function init(form) {
    var url = form.getAttribute("data-triage-suggest");
    var panel = form.querySelector("[data-triage-panel]");
    // The host form may name its fields differently (hotline: name="content"); say so in data attributes.
    var text = field(form, form.getAttribute("data-triage-text") || "text");
    var address = field(form, form.getAttribute("data-triage-address") || "address");
    var hidden = field(form, "triage_suggestion");
    var last = null, timer = null, seq = 0;
    if (!url || !panel || !text) return;

    function ask() {
      var mine = ++seq;
      var q = "?text=" + encodeURIComponent(text.value) + "&address=" + encodeURIComponent(address ? address.value : "");
      fetch(url + q, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data || mine !== seq) return;  // a newer request is on its way
          last = data;
          if (hidden) hidden.value = JSON.stringify(data);
          render(form, panel, data);
        })
        .catch(function () { /* suggestions are optional: intake goes on without them */ });
    }
    function schedule() { clearTimeout(timer); timer = setTimeout(ask, 350); }
    text.addEventListener("input", schedule);
    if (address) address.addEventListener("input", schedule);

    form.addEventListener("submit", function () {
      var feedbackUrl = form.getAttribute("data-triage-feedback");
      if (!last || !feedbackUrl) return;
      var accepted = {};
      FIELDS.forEach(function (pair) {
        var el = field(form, pair[0]);
        if (el) accepted[pair[0]] = el.value || "";
      });
      fetch(feedbackUrl, {
        method: "POST", credentials: "same-origin", keepalive: true,
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
        body: JSON.stringify({ suggestion: last, accepted: accepted })
      }).catch(function () {});
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-triage-suggest]"), init);
  });
})();

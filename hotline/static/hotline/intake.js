// Intake form helpers: caller history by phone and knowledge-base hits while the operator types.
(function () {
  var form = document.getElementById("intake-form");
  if (!form) return;
  var phone = form.querySelector("[name=caller_phone]");
  var content = form.querySelector("[name=content]");
  var history = document.getElementById("history");
  var kb = document.getElementById("kb");

  function debounce(fn, ms) {
    var t;
    return function () { clearTimeout(t); t = setTimeout(fn, ms); };
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  function get(url, cb) {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; }).then(function (d) { if (d) cb(d); })
      .catch(function () {});
  }

  var loadHistory = debounce(function () {
    var digits = phone.value.replace(/\D/g, "");
    var body = history.querySelector(".history-body");
    if (digits.length < 7) return;
    get(history.dataset.url + "?phone=" + encodeURIComponent(phone.value), function (d) {
      body.textContent = "";
      if (!d.orders.length) { body.textContent = "该号码没有历史工单。"; return; }
      d.orders.forEach(function (o) {
        var item = el("div", "hit");
        var a = el("a", "", o.number);
        a.href = o.url;
        item.appendChild(a);
        item.appendChild(el("span", "pill", o.state));
        item.appendChild(el("div", "small muted", o.received + " " + o.name));
        item.appendChild(el("div", "small", o.content));
        body.appendChild(item);
      });
      body.classList.remove("muted");
    });
  }, 300);

  var loadKb = debounce(function () {
    var body = kb.querySelector(".kb-body");
    var text = content.value.trim();
    if (text.length < 2) return;
    get(kb.dataset.url + "?q=" + encodeURIComponent(text.slice(-200)), function (d) {
      body.textContent = "";
      if (!d.entries.length) { body.textContent = "暂无匹配的政策口径。"; return; }
      d.entries.forEach(function (k) {
        var item = el("details", "hit");
        item.appendChild(el("summary", "", k.question));
        item.appendChild(el("p", "small", k.answer));
        if (k.source) item.appendChild(el("p", "small muted", "依据:" + k.source));
        body.appendChild(item);
      });
      body.classList.remove("muted");
    });
  }, 350);

  phone.addEventListener("input", loadHistory);
  content.addEventListener("input", loadKb);
  form.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); form.querySelector("[value=order]").click(); }
  });
})();

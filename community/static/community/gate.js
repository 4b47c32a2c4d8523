// Gate page: fast one-thumb registration that never loses an entry.
// Every entry gets an idempotency key when the volunteer presses 登记 and goes into a queue kept in
// localStorage; the queue is sent whenever the browser is online (now, on the "online" event, every 5 s).
// The server stores each key once, so a resend after a dropped answer cannot create a duplicate.
(function () {
  var app = document.getElementById("gate-app");
  if (!app) return;
  var gate = app.dataset.gate, api = app.dataset.api, lookupUrl = app.dataset.lookup;
  var QKEY = "shouhu.gate.queue." + gate, RKEY = "shouhu.gate.recent." + gate;
  var form = document.getElementById("entry-form");
  var state = { direction: "in", mode: "foot" };
  var sending = false;

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $all(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
  function load(key) { try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; } }
  function save(key, value) { localStorage.setItem(key, JSON.stringify(value)); }
  function csrf() { var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/); return m ? decodeURIComponent(m[1]) : ""; }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    var a = new Uint8Array(16); crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function esc(s) { var d = document.createElement("div"); d.textContent = s == null ? "" : String(s); return d.innerHTML; }

  // Segmented toggles: direction and mode.
  $all(".seg-btn").forEach(function (btn) {
    btn.addEventListener("click", function () {
      state[btn.dataset.field] = btn.dataset.value;
      $all('.seg-btn[data-field="' + btn.dataset.field + '"]').forEach(function (b) { b.classList.toggle("on", b === btn); });
      $("#plate-box").hidden = state.mode !== "vehicle";
    });
  });

  // Plate keyboard: province row first, then letters and digits (no I/O: they are never issued).
  var plate = $("#plate"), tag = $("#plate-tag");
  function plateCheck() {
    var v = plate.value.toUpperCase().replace(/[\s·.\-]/g, "");
    plate.value = v;
    var ok = /^[\u4e00-\u9fa5][A-HJ-NP-Z]([A-HJ-NP-Z0-9]{5}|[DF][A-HJ-NP-Z0-9]\d{4}|\d{5}[DF])$/.test(v);
    plate.classList.toggle("bad", v.length >= 7 && !ok);
    plate.classList.toggle("ne", v.length === 8);
    tag.textContent = !v ? "" : ok ? (v.indexOf(app.dataset.home) === 0 ? "本地" : "外地 " + v.charAt(0)) : v.length < 7 ? "" : "格式不对";
    tag.className = "pill " + (!ok ? "" : v.charAt(0) === "鄂" ? "danger" : v.indexOf(app.dataset.home) === 0 ? "ok" : "warn");
    // A complete plate folds the keyboard away so the people and 登记 are in reach; tap the plate to reopen.
    // (苏FD1234 is also a valid ordinary plate: keep the keyboard while a new-energy plate may be under way.)
    if (ok && (v.length === 8 || !/^..[DF]/.test(v))) keyboard(false);
  }
  function keyboard(show) { $("#kbd-prov").hidden = !show; $("#kbd-chars").hidden = !show; }
  plate.addEventListener("click", function () { keyboard(true); });
  $all(".kbd button").forEach(function (b) {
    b.addEventListener("click", function () {
      var k = b.dataset.key;
      if (k === "more") { $all("#kbd-prov .more").forEach(function (m) { m.hidden = !m.hidden; }); return; }
      if (k === "back") plate.value = plate.value.slice(0, -1);
      else if (k === "clear") plate.value = "";
      else if (b.parentNode.id === "kbd-prov") plate.value = k + plate.value.replace(/^[\u4e00-\u9fa5]/, "");
      else if (plate.value.length < 8) plate.value += k;
      plateCheck();
    });
  });
  plate.addEventListener("input", plateCheck);

  // People: a resident found by name/phone/room/personal code, or a visitor typed in.
  var people = $("#people"), tpl = $("#person-tpl");
  function addPerson() {
    var node = tpl.content.firstElementChild.cloneNode(true);
    people.appendChild(node);
    var who = $(".who", node), timer = null;
    who.addEventListener("input", function () {
      node.dataset.resident = ""; $(".picked", node).hidden = true;
      clearTimeout(timer);
      var q = who.value.trim();
      $(".visitor", node).hidden = !q;
      if (q.length < 2 || !navigator.onLine) { $(".matches", node).innerHTML = ""; return; }
      timer = setTimeout(function () { lookup(node, q); }, 250);
    });
    $(".x", node).addEventListener("click", function () { if (people.children.length > 1) node.remove(); });
    var scan = $(".scan", node);
    scan.hidden = !("BarcodeDetector" in window && navigator.mediaDevices);
    scan.addEventListener("click", function () {
      scanCode(function (code) { who.value = code; who.dispatchEvent(new Event("input")); });
    });
    $all(".step", node).forEach(function (s) {
      s.addEventListener("click", function () {
        var t = $(".temp", node), v = parseFloat(t.value) || 36.5;
        t.value = (Math.round((v + parseFloat(s.dataset.step)) * 10) / 10).toFixed(1); hot(t);
      });
    });
    $(".temp", node).addEventListener("input", function () { hot(this); });
    return node;
  }
  // An elderly resident's card carries a QR of the 6-character personal code; the phone camera reads it
  // where the browser has BarcodeDetector (Chrome on Android); elsewhere the volunteer types the code.
  function scanCode(done) {
    var box = $("#scanner"), video = $("video", box), stream = null, timer = null;
    var detector = new BarcodeDetector({ formats: ["qr_code"] });
    function close() {
      clearInterval(timer); box.hidden = true;
      if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    }
    $("#scan-close").onclick = close;
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
      stream = s; video.srcObject = s; video.play(); box.hidden = false;
      timer = setInterval(function () {
        detector.detect(video).then(function (codes) {
          if (codes.length) { close(); done(codes[0].rawValue.trim()); }
        }).catch(function () {});
      }, 300);
    }).catch(function () { alert("无法打开摄像头,请直接输入卡上的6位个人码。"); });
  }
  function hot(t) { t.classList.toggle("hot", parseFloat(t.value) >= 37.3); }
  function lookup(node, q) {
    fetch(lookupUrl + "?q=" + encodeURIComponent(q), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (rows) {
        var box = $(".matches", node); box.innerHTML = "";
        rows.forEach(function (r) {
          var b = document.createElement("button"); b.type = "button";
          b.innerHTML = esc(r.name) + " <span class='muted small'>" + esc(r.address) + "</span>" +
            (r.quarantine ? " <span class='q'>居家隔离中 第" + r.quarantine.day_n + "天</span>" : "");
          b.addEventListener("click", function () { pick(node, r); });
          box.appendChild(b);
        });
      }).catch(function () {});
  }
  function pick(node, r) {
    node.dataset.resident = r.id;
    $(".who", node).value = r.name;
    $(".matches", node).innerHTML = "";
    $(".visitor", node).hidden = true;
    var p = $(".picked", node);
    p.hidden = false;
    p.classList.toggle("quarantine", !!r.quarantine);
    p.innerHTML = "✔ " + esc(r.name) + " · " + esc(r.address) + (r.quarantine
      ? "<div class='q'>⚠ 居家隔离中(至 " + esc(r.quarantine.end) + "),不得外出,请劝返并通知社区</div>" : "");
  }

  // Quick chips fill the text fields.
  $all(".chips").forEach(function (box) {
    box.addEventListener("click", function (ev) {
      var c = ev.target.closest(".chip"); if (!c) return;
      var input = document.getElementById(box.dataset.target);
      input.value = c.dataset.value;
      $all(".chip", box).forEach(function (x) { x.classList.toggle("on", x === c); });
    });
  });

  function collect() {
    return {
      gate: gate, idempotency_key: newKey(), direction: state.direction, mode: state.mode,
      plate: state.mode === "vehicle" ? plate.value : "", travel: $("#travel").value, purpose: $("#purpose").value,
      occurred_at: new Date().toISOString(),
      people: $all(".person", people).map(function (n) {
        var p = { temperature: $(".temp", n).value };
        var q = $(".who", n).value.trim();
        if (n.dataset.resident) p.resident_id = n.dataset.resident;
        else if (/^[2-9A-HJ-NP-Z]{6}$/i.test(q) && !$(".phone", n).value) p.personal_code = q;
        else { p.name = q; p.phone = $(".phone", n).value; p.id_number = $(".idno", n).value; }
        return p;
      })
    };
  }
  function validate(e) {
    if (e.mode === "vehicle" && e.plate.length < 7) return "请输入完整车牌。";
    for (var i = 0; i < e.people.length; i++) {
      var p = e.people[i], t = parseFloat(p.temperature);
      if (!p.resident_id && !p.personal_code && !p.name) return "第" + (i + 1) + "人:请选择居民或填写访客姓名。";
      if (!(t >= 34 && t <= 43)) return "第" + (i + 1) + "人:体温应在34–43℃之间,请复测。";
    }
    return "";
  }
  function reset() {
    people.innerHTML = ""; addPerson();
    plate.value = ""; plateCheck(); keyboard(true);
    $("#travel").value = ""; $("#purpose").value = "";
    $all(".chip").forEach(function (c) { c.classList.remove("on"); });
  }

  function show(kind, html) { var r = $("#result"); r.className = "gate-result " + kind; r.innerHTML = html; r.hidden = false; }
  function label(e) {
    return (e.direction === "in" ? "进 " : "出 ") + (e.plate || (e.people[0] && (e.people[0].name || e.people[0].personal_code)) || "居民") +
      (e.people.length > 1 ? " 等" + e.people.length + "人" : "");
  }
  function remember(e, status) {
    var recent = load(RKEY).filter(function (r) { return r.key !== e.idempotency_key; });
    recent.unshift({ key: e.idempotency_key, label: label(e), status: status,
                     at: new Date(e.occurred_at).toTimeString().slice(0, 5) });
    save(RKEY, recent.slice(0, 15)); renderRecent();
  }
  function renderRecent() {
    var ul = $("#recent");
    ul.innerHTML = load(RKEY).map(function (r) {
      var cls = r.status === "已保存" ? "ok" : r.status === "待发送" ? "warn" : "danger";
      return "<li><span>" + esc(r.at) + " " + esc(r.label) + "</span><span class='pill " + cls + "'>" + esc(r.status) + "</span></li>";
    }).join("") || "<li class='muted'>暂无</li>";
  }
  function renderStatus() {
    var n = load(QKEY).length, q = $("#queue"), net = $("#net");
    net.textContent = navigator.onLine ? "在线" : "离线"; net.className = "pill " + (navigator.onLine ? "ok" : "danger");
    q.hidden = !n; q.textContent = "待发送 " + n; q.className = "pill warn";
  }

  function flush() {
    renderStatus();
    if (sending || !navigator.onLine) return;
    var queue = load(QKEY);
    if (!queue.length) return;
    sending = true;
    var e = queue[0];
    fetch(api, { method: "POST", credentials: "same-origin",
                 headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() }, body: JSON.stringify(e) })
      .then(function (r) { return r.json().then(function (d) { return [r.status, d]; }, function () { return [r.status, {}]; }); })
      .then(function (res) {
        if (res[0] >= 500 || res[0] === 401 || res[0] === 403 && !res[1].error) throw new Error("retry later");
        drop(e.idempotency_key);
        if (res[0] === 200 || res[0] === 201) { remember(e, "已保存"); done(res[1]); }
        else { remember(e, "被退回"); show("err", "未保存(" + esc(label(e)) + "):" + esc(res[1].error || "请检查后重新登记")); }
      })
      .catch(function () {})
      .then(function () { sending = false; renderStatus(); if (load(QKEY).length && navigator.onLine) setTimeout(flush, 50); });
  }
  function drop(key) { save(QKEY, load(QKEY).filter(function (x) { return x.idempotency_key !== key; })); }
  function done(d) {
    if (d.alerts && d.alerts.length) {
      show("alert", "⚠ " + d.alerts.map(function (a) { return esc(a.message); }).join(";") + "<ol>" +
        d.alerts.map(function (a) { return "<li>" + esc(a.advice) + "</li>"; }).join("") + "</ol>");
    } else show("ok", "✔ 已登记:" + (d.plate ? esc(d.plate) + " " : "") + d.people.length + "人");
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var e = collect(), err = validate(e);
    if (err) { show("err", esc(err)); return; }
    var queue = load(QKEY); queue.push(e); save(QKEY, queue);
    remember(e, "待发送");
    show("queued", navigator.onLine ? "正在保存…" : "网络已断开:已存入本机,联网后自动发送。");
    reset(); flush();
    window.scrollTo(0, 0);
  });
  window.addEventListener("online", flush);
  window.addEventListener("offline", renderStatus);
  setInterval(flush, 5000);
  $("#add-person").addEventListener("click", function () { $(".who", addPerson()).focus(); });
  addPerson(); renderRecent(); flush();
})();

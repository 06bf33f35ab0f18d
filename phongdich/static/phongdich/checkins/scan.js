/* The one-tap check-in page: remembers the phone's owner, queues check-ins while offline.
   No framework: it must load fast on a cheap phone over a poor connection. */
(function () {
  "use strict";
  var root = document.getElementById("ci");
  if (!root) return;
  var T = JSON.parse(document.getElementById("ci-texts").textContent);
  var D = root.dataset, store = window.localStorage;
  var K_DEV = "pd_dev", K_NAME = "pd_name", K_Q = "pd_q";
  var $ = function (id) { return document.getElementById(id); };
  var form = $("who"), tap = $("tap"), msg = $("msg"), pend = $("pending"), go = $("go");
  var busy = false, timer = null;

  function get(k) { try { return store.getItem(k); } catch (e) { return null; } }
  function put(k, v) { try { if (v === null) store.removeItem(k); else store.setItem(k, v); } catch (e) { /* private mode */ } }
  function queue() { try { return JSON.parse(get(K_Q) || "[]"); } catch (e) { return []; } }
  function save(q) { put(K_Q, JSON.stringify(q)); }
  function fmt(s, o) { return s.replace(/%\((\w+)\)s/g, function (_, k) { return o[k]; }); }
  function hhmm(iso) { var d = new Date(iso); return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2); }
  function say(text, cls) { msg.textContent = text; msg.className = cls || "muted"; }

  // UUIDv7 (RFC 9562): 48 bits of the time in ms, then random bits. Ids made one after another
  // sort together, so the server's unique index on client_id grows at its end instead of taking
  // each check-in at a random page (with random UUIDv4s, a page write per check-in).
  function uuid7() {
    var b = crypto.getRandomValues(new Uint8Array(16)), t = Date.now(), h = "";
    for (var j = 5; j >= 0; j--) { b[j] = t % 256; t = Math.floor(t / 256); }
    b[6] = (b[6] & 15) | 112; b[8] = (b[8] & 63) | 128;
    for (var i = 0; i < 16; i++) h += (b[i] + 256).toString(16).slice(1);
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": D.csrf },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (b) { return { s: r.status, b: b }; });
    });
  }

  function firstError(b) {
    if (b.detail) return b.detail;
    for (var k in b) if (b[k] && b[k].length) return b[k][0];
    return "";
  }

  function render() {
    var known = get(K_NAME) || (D.known ? T.known : "");
    form.hidden = !!known; tap.hidden = !known;
    if (known) $("name").textContent = known;
    var n = queue().length;
    pend.hidden = !n; pend.textContent = fmt(T.pending, { n: n });
  }

  function retry(ms) { if (!timer) timer = setTimeout(function () { timer = null; flush(); }, ms); }

  function flush() {
    var q = queue();
    render();
    if (busy || !q.length) return;
    busy = true;
    var item = q[0], body = { client_id: item.client_id, at: item.at, token: item.token, sent_at: new Date().toISOString() };
    var dev = get(K_DEV); if (dev) body.device = dev;
    post(D.api, body).then(function (r) {
      busy = false;
      if (r.s === 429 || r.s >= 500) { say(T.busy, "warn"); retry(30000); return; }
      if (r.b.device && r.s === 400) { put(K_DEV, null); put(K_NAME, null); D.known = ""; say(firstError(r.b), "bad"); render(); return; }
      save(queue().filter(function (x) { return x.client_id !== item.client_id; }));
      if (r.s === 200 || r.s === 201) say(fmt(T.ok, { time: hhmm(r.b.at || item.at), place: r.b.premises || "" }), "ok");
      else say(fmt(T.error, { msg: firstError(r.b) }), "bad");
      flush();
    }, function () {
      busy = false;
      say(fmt(T.queued, { time: hhmm(q[q.length - 1].at) }), "warn");
      render(); retry(20000);
    });
  }

  function checkin() {
    var q = queue();
    q.push({ client_id: uuid7(), at: new Date().toISOString(), token: D.token });
    save(q);
    say(T.sending);
    flush();
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var f = form.elements, errs = form.querySelectorAll("[data-err]");
    for (var i = 0; i < errs.length; i++) errs[i].textContent = "";
    var body = { token: D.token, full_name: f.full_name.value, phone: f.phone.value, cccd: f.cccd.value,
      birth_year: f.birth_year.value ? parseInt(f.birth_year.value, 10) || 0 : null, sex: f.sex.value };
    var btn = form.querySelector("button"); btn.disabled = true;
    post(D.visitors, body).then(function (r) {
      btn.disabled = false;
      if (r.s === 201) { put(K_DEV, r.b.device); put(K_NAME, r.b.name); render(); checkin(); return; }
      var shown = false;
      for (var k in r.b) {
        var el = form.querySelector('[data-err="' + k + '"]') || form.querySelector('[data-err="detail"]');
        el.textContent = typeof r.b[k] === "string" ? r.b[k] : r.b[k][0]; shown = true;
      }
      if (!shown) form.querySelector('[data-err="detail"]').textContent = fmt(T.error, { msg: r.s });
    }, function () { btn.disabled = false; form.querySelector('[data-err="detail"]').textContent = T.first_offline; });
  });

  go.addEventListener("click", checkin);
  $("forget").addEventListener("click", function (e) { e.preventDefault(); put(K_DEV, null); put(K_NAME, null); D.known = ""; render(); });
  window.addEventListener("online", flush);
  render();
  flush();
})();

// Movement forms: show the country field for a foreign origin and the unit code/address for a place in Vietnam.
(function () {
  "use strict";
  function row(form, name) {
    var input = form.querySelector("[name=" + name + "]");
    return input ? input.closest(".field") : null;
  }
  function setup(form) {
    var kind = form.querySelector("[name=place_kind]");
    if (!kind) { return; }
    function update() {
      var value = kind.value;
      var country = row(form, "country");
      var unitRows = [row(form, "place_unit_code")];
      if (country) { country.hidden = value !== "country"; }
      unitRows.forEach(function (r) { if (r) { r.hidden = value === "country"; } });
    }
    kind.addEventListener("change", update);
    update();
  }
  // The public form lists only the chosen commune's hamlets: reload them when the commune changes.
  function hamlets(form) {
    var commune = form.querySelector("select[name=commune]");
    var hamlet = form.querySelector("select[name=hamlet][data-hamlets-url]");
    if (!commune || !hamlet || !window.fetch) { return; }
    commune.addEventListener("change", function () {
      var url = hamlet.getAttribute("data-hamlets-url") + "?xa=" + encodeURIComponent(commune.value);
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { hamlets: [] }; })
        .then(function (data) {
          while (hamlet.options.length > 1) { hamlet.remove(1); }
          data.hamlets.forEach(function (h) { hamlet.add(new Option(h.name, h.value)); });
          hamlet.value = "";
        })
        .catch(function () { /* offline: the hamlet is optional */ });
    });
  }
  document.querySelectorAll("form[data-movement-form]").forEach(function (form) { setup(form); hamlets(form); });
})();

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
  document.querySelectorAll("form[data-movement-form]").forEach(setup);
})();

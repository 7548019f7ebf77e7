// Show only the fields that the chosen kind needs (party organization and position
// forms). The rules come from the server in a json_script block: {kind: [field, ...]}.
// Without JavaScript every field stays visible and the server still validates.
(function () {
  var rules = document.getElementById("kind-fields");
  var kind = document.getElementById("id_kind");
  if (!rules || !kind) return;
  rules = JSON.parse(rules.textContent);
  var all = {};
  Object.keys(rules).forEach(function (k) {
    rules[k].forEach(function (name) { all[name] = true; });
  });
  function apply() {
    var wanted = rules[kind.value];
    Object.keys(all).forEach(function (name) {
      var wrapper = document.getElementById("div_id_" + name);
      if (wrapper) wrapper.hidden = Boolean(wanted) && wanted.indexOf(name) === -1;
    });
  }
  kind.addEventListener("change", apply);
  apply();
})();

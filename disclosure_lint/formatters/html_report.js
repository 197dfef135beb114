"use strict";
document.querySelectorAll("figure.page .sheet").forEach(function (sheet) {
  sheet.addEventListener("click", function () { sheet.classList.toggle("zoom"); });
});
(function () {
  const form = document.querySelector("form.filters");
  if (!form) return;
  const findings = Array.from(document.querySelectorAll("article.finding"));
  const shown = form.querySelector(".shown-count");
  function apply() {
    const on = { severity: new Set(), family: new Set() };
    form.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      if (box.checked) on[box.name].add(box.value);
    });
    let count = 0;
    findings.forEach(function (f) {
      const show = on.severity.has(f.dataset.severity) && on.family.has(f.dataset.family);
      f.hidden = !show;
      if (show) count += 1;
    });
    document.querySelectorAll("section.file").forEach(function (section) {
      const note = section.querySelector(".none-shown");
      if (note) note.hidden = !section.querySelector("article.finding") || !!section.querySelector("article.finding:not([hidden])");
    });
    if (shown) shown.textContent = String(count);
  }
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  apply();
})();

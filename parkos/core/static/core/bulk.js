// Bulk actions on a list: the page's select-all box and the count of selected rows (the form is core/object_list.html).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("bulk-form");
    if (!form) return;
    var rows = Array.prototype.slice.call(document.querySelectorAll("input[data-bulk-row]"));
    var page = document.querySelector("input[data-bulk-page]");
    var all = form.querySelector("input[name=all]");
    var count = form.querySelector("[data-bulk-count]");
    function update() {
      var selected = rows.filter(function (box) { return box.checked; }).length;
      if (count) count.textContent = all && all.checked ? count.dataset.all : String(selected);
      if (page) {
        page.checked = selected > 0 && selected === rows.length;
        page.indeterminate = selected > 0 && selected < rows.length;
      }
    }
    if (page) {
      page.addEventListener("change", function () {
        rows.forEach(function (box) { box.checked = page.checked; });
        update();
      });
    }
    rows.forEach(function (box) { box.addEventListener("change", update); });
    if (all) all.addEventListener("change", update);
    update();
  });
})();

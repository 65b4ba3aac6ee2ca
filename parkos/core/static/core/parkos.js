// ParkOS page behaviour: search-as-you-type for related-record fields (fed by the REST API), selects that submit, busy forms.
(function () {
  "use strict";
  function initApiSelect(select) {
    if (select.tomselect || typeof TomSelect === "undefined") return;
    var url = select.dataset.apiUrl;
    new TomSelect(select, {
      valueField: "id",
      labelField: "display",
      searchField: ["display"],
      maxOptions: 50,
      loadThrottle: 250,
      plugins: select.multiple ? ["remove_button"] : [],
      load: function (query, callback) {
        var sep = url.indexOf("?") === -1 ? "?" : "&";
        fetch(url + sep + "q=" + encodeURIComponent(query) + "&page_size=50", {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (r) { return r.json(); })
          .then(function (data) { callback(data.results || []); })
          .catch(function () { callback(); });
      },
    });
  }
  // Long requests (imports): disable the button and say what is happening until the page answers.
  function showBusy(form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = true;
        button.insertAdjacentHTML("afterbegin", '<span class="spinner-border spinner-border-sm me-2" role="status"></span>');
      });
      var note = document.createElement("div");
      note.className = "text-secondary ms-2 busy-note";
      note.setAttribute("role", "status");
      note.textContent = form.dataset.busy;
      form.querySelector("button[type=submit]").insertAdjacentElement("afterend", note);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    // No inline handlers (the Content-Security-Policy refuses them): a select that submits its form on change.
    document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
    document.querySelectorAll("form[data-busy]").forEach(showBusy);
    document.querySelectorAll("select.api-select").forEach(initApiSelect);
    // Small multiple choices (parks, brands) as tags rather than a tall list box.
    document.querySelectorAll("select[multiple]:not(.api-select)").forEach(function (select) {
      if (!select.tomselect && typeof TomSelect !== "undefined") new TomSelect(select, { plugins: ["remove_button"] });
    });
  });
})();

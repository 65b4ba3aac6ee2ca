// The bell in the top bar: its unread count is fetched after the page is drawn, so no page pays a query for it.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var bell = document.getElementById("notification-bell");
    if (!bell || !bell.dataset.countUrl) return;
    fetch(bell.dataset.countUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || !data.unread) return;
        var badge = bell.querySelector(".badge");
        badge.textContent = data.unread > 99 ? "99+" : String(data.unread);
        badge.classList.remove("d-none");
      })
      .catch(function () {});
  });
})();

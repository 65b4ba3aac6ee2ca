// The project board: drag a card to another column (or use its "Move to…" form) to move the project.
// Moves are POSTed to the card's move URL and answered in JSON; without this script the forms post normally.
(function () {
  "use strict";
  var board = document.getElementById("project-board");
  if (!board) return;
  var message = document.getElementById("board-message");
  var csrf = board.querySelector("input[name=csrfmiddlewaretoken]");
  var lostStage = board.dataset.lostStage;
  var dragged = null;

  function show(text, ok) {
    message.textContent = text;
    message.className = "alert " + (ok ? "alert-success" : "alert-danger");
    message.setAttribute("role", ok ? "status" : "alert");
  }

  function column(stage) {
    return board.querySelector('.board-column[data-stage="' + stage + '"]');
  }

  function refreshColumn(col, delta) {
    var count = col.querySelector("[data-count]");
    count.textContent = String(Math.max(0, parseInt(count.textContent, 10) + delta));
    var cards = col.querySelectorAll(".board-card").length;
    col.querySelector(".board-empty").hidden = cards > 0;
  }

  function askReason() {
    var reason = window.prompt(board.dataset.lostPrompt, "");
    if (reason === null) return null; // cancelled
    reason = reason.trim();
    if (!reason) {
      show(board.dataset.reasonNeeded, false);
      return null;
    }
    return reason;
  }

  function move(card, stage, reason) {
    var from = card.dataset.stage;
    if (!stage || stage === from) return;
    if (stage === lostStage && !reason) {
      reason = askReason();
      if (reason === null) return;
    }
    var body = new FormData();
    body.append("stage", stage);
    body.append("lost_reason", reason || "");
    card.classList.add("busy");
    fetch(card.dataset.moveUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrf ? csrf.value : "" },
    })
      .then(function (response) {
        return response.json().then(
          function (data) { return data; },
          function () { return { ok: false, message: board.dataset.failed }; }
        );
      })
      .then(function (data) {
        card.classList.remove("busy");
        if (!data.ok) {
          show(data.message || board.dataset.failed, false);
          return;
        }
        var target = column(data.stage);
        var source = column(from);
        target.querySelector(".board-cards").prepend(card);
        card.dataset.stage = data.stage;
        card.querySelector("[data-days]").textContent = data.days_label;
        card.querySelectorAll("select[name=stage] option").forEach(function (option) {
          option.disabled = option.value === data.stage;
        });
        var form = card.querySelector(".board-move-form");
        if (form) form.reset();
        var details = card.querySelector("details");
        if (details) details.open = false;
        refreshColumn(source, -1);
        refreshColumn(target, +1);
        show(data.message, true);
      })
      .catch(function () {
        card.classList.remove("busy");
        show(board.dataset.failed, false);
      });
  }

  // The collapsed Lost column, for everyone
  board.querySelectorAll("[data-toggle-column]").forEach(function (button) {
    button.addEventListener("click", function () {
      var col = button.closest(".board-column");
      var cards = col.querySelector(".board-cards");
      var open = cards.hidden;
      cards.hidden = !open;
      col.classList.toggle("expanded", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
      button.textContent = open ? board.dataset.hideLabel : board.dataset.showLabel;
    });
  });
  if (!board.classList.contains("can-move")) return; // viewers see the board without moves

  // Drag and drop
  board.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".board-card[draggable=true]");
    if (!card) return;
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.project);
  });
  board.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    board.querySelectorAll(".drop-target").forEach(function (col) { col.classList.remove("drop-target"); });
  });
  board.addEventListener("dragover", function (event) {
    var col = event.target.closest && event.target.closest(".board-column");
    if (!col || !dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    board.querySelectorAll(".drop-target").forEach(function (other) {
      if (other !== col) other.classList.remove("drop-target");
    });
    col.classList.add("drop-target");
  });
  board.addEventListener("drop", function (event) {
    var col = event.target.closest && event.target.closest(".board-column");
    if (!col || !dragged) return;
    event.preventDefault();
    col.classList.remove("drop-target");
    move(dragged, col.dataset.stage, "");
  });

  // A card's "Move to…" opens a copy of the page's one move form (the link in it reloads the page with
  // the form when this script does not run)
  var template = document.getElementById("board-move-template");
  board.addEventListener("toggle", function (event) {
    var details = event.target;
    if (!details.classList || !details.classList.contains("board-move") || !details.open) return;
    if (details.querySelector(".board-move-form") || !template) return;
    var card = details.closest(".board-card");
    var form = template.content.querySelector(".board-move-form").cloneNode(true);
    form.action = card.dataset.moveUrl;
    form.querySelectorAll("[id]").forEach(function (element) { element.id += card.dataset.project; });
    form.querySelectorAll("label[for]").forEach(function (label) {
      label.htmlFor = label.htmlFor + card.dataset.project;
    });
    form.querySelectorAll("select[name=stage] option").forEach(function (option) {
      option.disabled = option.value === card.dataset.stage;
    });
    var link = details.querySelector(".board-move-open");
    if (link) link.remove();
    details.appendChild(form);
  }, true);

  // The "Move to…" form of each card, sent the same way (the page is not reloaded)
  board.addEventListener("submit", function (event) {
    var form = event.target.closest(".board-move-form");
    if (!form) return;
    event.preventDefault();
    var card = form.closest(".board-card");
    move(card, form.elements.stage.value, form.elements.lost_reason.value.trim());
  });
})();

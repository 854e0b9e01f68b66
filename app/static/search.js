/* The search page with htmx: keep the filter panel open or closed and focus where it was when
   the results are swapped, open the panel on wide screens, keep empty fields out of the URL,
   and move focus to the first new card after "Vis flere". The page works without this file. */
(function () {
  "use strict";

  var wide = window.matchMedia("(min-width: 44rem)");
  var panelWasOpen = null;
  var focusedId = null;
  var firstNew = -1;
  // The result cards, in both lists (those that fit clearly, then the others).
  var CARDS = "#results > li, #results-tail > li";

  function panel() {
    return document.getElementById("filters");
  }

  function openOnWideScreens() {
    var filters = panel();
    if (filters && wide.matches) {
      filters.open = true;
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", openOnWideScreens);
  } else {
    openOnWideScreens();
  }

  // Empty fields stay out of the address htmx puts in the history ("?q=gæld", not
  // "?q=gæld&by=&alder="), as the server writes its own links.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt.id !== "search-form") {
      return;
    }
    var params = event.detail.parameters;
    ["q", "by", "alder"].forEach(function (name) {
      if (params[name] === "") {
        delete params[name];
      }
    });
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.matches && elt.matches("a.more")) {
      firstNew = document.querySelectorAll(CARDS).length;
    }
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "search-body") {
      var filters = panel();
      var active = document.activeElement;
      panelWasOpen = filters ? filters.open : null;
      focusedId = active && active.id && target.contains(active) ? active.id : null;
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var elt = event.target;
    if (elt && elt.id === "search-body") {
      var filters = panel();
      if (filters && panelWasOpen !== null) {
        filters.open = panelWasOpen;
      }
      var again = focusedId && document.getElementById(focusedId);
      if (again && document.activeElement !== again) {
        again.focus({ preventScroll: true });
      }
      panelWasOpen = null;
      focusedId = null;
    }
  });

  // After "Vis flere" (its cards may go to both lists), focus the first new card's link.
  document.addEventListener("htmx:afterSettle", function () {
    if (firstNew < 0) {
      return;
    }
    var card = document.querySelectorAll(CARDS)[firstNew];
    firstNew = -1;
    var link = card && card.querySelector("h3 a");
    if (link) {
      link.focus();
    }
  });
})();

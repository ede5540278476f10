/* Keyboard focus survives a page re-render.
 *
 * Page controls write the URL and the page is drawn again from it (so every view is a link);
 * the control the user was on is replaced by a new element with the same id, and the browser
 * drops focus to <body>: a keyboard user changing the explorer view with the arrow keys was
 * sent back to the top of the page. When the focused element leaves the document and nothing
 * else has focus, its namesake in the new page takes focus as soon as it is drawn. Focus the
 * user has put anywhere (an open dropdown's search box included) is never taken: a redraw that
 * replaces an open dropdown closes it, and focus returns to its button, where typing opens it
 * again. */
(function () {
  "use strict";

  var GIVE_UP_MS = 30000; // a re-render slower than this is not the same interaction
  var last = null; // the focused element with an id, and when it was lost
  var lostAt = 0;

  function nothingFocused() {
    var active = document.activeElement;
    return !active || active === document.body || active === document.documentElement;
  }

  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target && target.id) {
      last = target;
      lostAt = 0;
    }
  });

  function restore() {
    if (!last || last.isConnected) {
      return;
    }
    if (!nothingFocused()) {
      last = null; // focus went somewhere on purpose
      return;
    }
    var now = Date.now();
    lostAt = lostAt || now;
    if (now - lostAt > GIVE_UP_MS) {
      last = null;
      return;
    }
    var successor = document.getElementById(last.id);
    if (successor && successor !== last && !successor.disabled) {
      successor.focus();
    }
  }

  function start() {
    new MutationObserver(restore).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

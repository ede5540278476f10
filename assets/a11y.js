/* Keyboard and screen-reader fix-ups for third-party components, applied as they render.
 *
 * dcc.Dropdown (Dash 4) puts a focusable, aria-hidden proxy input before its real button and
 * forwards focus from one to the other: screen readers meet a hidden focusable element (axe
 * aria-hidden-focus, WCAG 4.1.2). Here the real button (which carries the control's id, so
 * its <label> names it) takes the Tab stop and the proxy leaves the tab order. */
(function () {
  "use strict";

  var TARGET = ".dash-dropdown-focus-target";

  function fix(proxy) {
    if (proxy.getAttribute("tabindex") !== "-1") {
      proxy.setAttribute("tabindex", "-1");
    }
    var button = proxy.nextElementSibling;
    if (button && button.tagName === "BUTTON" && !button.disabled) {
      if (button.getAttribute("tabindex") !== "0") {
        button.setAttribute("tabindex", "0");
      }
    }
  }

  function fixAll(root) {
    if (root.matches && root.matches(TARGET)) {
      fix(root);
    }
    if (root.querySelectorAll) {
      root.querySelectorAll(TARGET).forEach(fix);
    }
  }

  function start() {
    fixAll(document.body);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        if (change.type === "attributes") {
          if (change.target.matches(TARGET) || change.target.matches(TARGET + " + button")) {
            fix(change.target.matches(TARGET) ? change.target : change.target.previousElementSibling);
          }
          return;
        }
        change.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) {
            fixAll(node);
          }
        });
      });
    }).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["tabindex"],
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

/* Typing in an open searchable dropdown always reaches its search box.
 *
 * dcc.Dropdown (Dash 4) opened from the keyboard moves focus to the selected option (a frame
 * or two later), not to the search box: a keyboard user who pressed Enter on the area picker
 * and typed a council name typed into a radio button, and every letter was lost; on a slow
 * machine the same late focus also took the search box away from someone already typing.
 * A letter, digit or Backspace pressed on an option is sent to the search box instead (focus
 * moves before the key is handled, so the browser types it there); arrows, Enter and Space keep
 * their meaning on the option. */
(function () {
  "use strict";

  var OPTION = ".dash-dropdown-content .dash-options-list-option input";

  function typesText(event) {
    if (event.ctrlKey || event.metaKey || event.altKey) {
      return false;
    }
    return event.key === "Backspace" || (event.key.length === 1 && event.key !== " ");
  }

  document.addEventListener(
    "keydown",
    function (event) {
      var target = event.target;
      if (!target || !target.matches || !target.matches(OPTION) || !typesText(event)) {
        return;
      }
      var content = target.closest(".dash-dropdown-content");
      var search = content && content.querySelector(".dash-dropdown-search");
      if (search) {
        search.focus();
      }
    },
    true
  );
})();

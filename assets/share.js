/* "Share link": copy the page's address (which holds the whole view) to the clipboard and say
 * so; where the clipboard is refused (no permission, insecure origin) show the address in a
 * selected text field to copy by hand. Used by dashboard/ui/share.py. */
(function () {
  "use strict";

  var SHOWN = { display: "block" };
  var HIDDEN = { display: "none" };

  function copied(url) {
    return ["Link copied to the clipboard.", url, HIDDEN];
  }

  function manual(url) {
    return ["Copy this link (Ctrl+C or \u2318+C):", url, SHOWN];
  }

  function selectField(statusId) {
    window.setTimeout(function () {
      var field = document.querySelector("[data-lsr-share-field='" + statusId + "'] input");
      if (field) {
        field.focus();
        field.select();
      }
    }, 50);
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.lsr = Object.assign({}, window.dash_clientside.lsr, {
    /* Clientside callback: returns [status text, field value, field style]. */
    copyLink: function (clicks, wrapperId) {
      var fieldId = wrapperId && wrapperId.key;
      if (!clicks) {
        return window.dash_clientside.no_update;
      }
      var url = window.location.href;
      var clipboard = navigator.clipboard;
      if (!clipboard || !window.isSecureContext) {
        selectField(fieldId);
        return manual(url);
      }
      return clipboard.writeText(url).then(
        function () {
          return copied(url);
        },
        function () {
          selectField(fieldId);
          return manual(url);
        }
      );
    },
  });
})();

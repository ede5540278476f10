/* Pages whose component bundle the server left out of this page's shell
 * (dashboard/serving/page_bundles.py) are opened with a full page load, never rendered in place:
 * an in-page navigation to one (a dcc.Link, a callback writing the URL) becomes a normal
 * navigation, which serves that page's shell with its bundle. */
(function () {
  "use strict";

  var config = document.getElementById("lsr-page-bundles");
  var bundles = config ? JSON.parse(config.textContent) : {};

  function onPage(pagePath, path) {
    var current = path.replace(/\/+$/, "") || "/";
    if (pagePath === "/") {
      return current === "/";
    }
    return current === pagePath || current.indexOf(pagePath + "/") === 0;
  }

  function needsMissingBundle(url) {
    var path = new URL(url, window.location.href).pathname;
    return Object.keys(bundles).some(function (name) {
      return !window[name] && bundles[name].some(function (page) {
        return onPage(page, path);
      });
    });
  }

  ["pushState", "replaceState"].forEach(function (method) {
    var original = window.history[method];
    window.history[method] = function (state, title, url) {
      if (url != null && needsMissingBundle(url)) {
        window.location.assign(new URL(url, window.location.href).href);
        return undefined;
      }
      return original.apply(this, arguments);
    };
  });
})();

/* Printing: Plotly charts keep the pixel size they had on screen, so before printing each is
 * fitted to the share of the A4 page it had of the screen: small charts (sparklines) are
 * redrawn narrower; wide charts are zoomed, so they print as seen with every label; both are
 * undone afterwards. Browsers fire beforeprint/afterprint; tests calling page.pdf() dispatch
 * beforeprint themselves. */
(function () {
  "use strict";

  var A4_CONTENT_PX = 718; // 210 mm less 2 x 10 mm margins, at 96 px per inch
  var WIDE_PX = 500;
  var resized = [];

  /* The address and date at the foot of every printed page: an @page margin box, written
   * now because CSS cannot read the address itself. */
  function stampFooter() {
    var when = new Date().toLocaleDateString("en-GB", {
      day: "numeric",
      month: "long",
      year: "numeric",
    });
    var text = (window.location.href + " \u00b7 printed " + when).replace(/["\\]/g, "\\$&");
    var style = document.getElementById("lsr-print-page");
    if (!style) {
      style = document.createElement("style");
      style.id = "lsr-print-page";
      document.head.appendChild(style);
    }
    style.textContent =
      '@page { @bottom-left { content: "LSR Explorer \u00b7 ' + text + '"; ' +
      'font: 7.5pt Arial, "Liberation Sans", sans-serif; color: #505a5f; } }';
  }

  function prepare() {
    stampFooter();
    if (resized.length) {
      return;
    }
    var main = document.querySelector("main") || document.body;
    var ratio = Math.min(1, A4_CONTENT_PX / main.clientWidth);
    document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
      if (!gd._fullLayout) {
        return;
      }
      var wide = gd._fullLayout.width > WIDE_PX;
      resized.push({ gd: gd, wide: wide, width: gd.layout.width });
      if (wide && window.Plotly) {
        // fix the width first, or the responsive resize would widen the zoomed chart back
        window.Plotly.relayout(gd, { width: gd._fullLayout.width, autosize: false });
        gd.style.zoom = String(ratio);
      } else if (window.Plotly) {
        window.Plotly.relayout(gd, { width: Math.floor(gd._fullLayout.width * ratio) });
      }
    });
  }

  function restore() {
    resized.forEach(function (item) {
      if (item.wide) {
        item.gd.style.zoom = "";
      }
      if (window.Plotly) {
        window.Plotly.relayout(item.gd, {
          width: item.width === undefined ? null : item.width,
          autosize: true,
        });
      }
    });
    resized = [];
  }

  window.addEventListener("beforeprint", prepare);
  window.addEventListener("afterprint", restore);
  window.lsrPrint = { prepare: prepare, restore: restore, stampFooter: stampFooter };
})();

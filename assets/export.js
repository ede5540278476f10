/* Chart image export: a copy of the on-screen figure with its title, subtitle and source
 * baked in and the margins grown to fit them, downloaded with Plotly.downloadImage as PNG
 * (3x the on-screen size) or SVG. Used by the clientside callback in
 * dashboard/ui/chart_card.py; the chart itself is never changed. */
(function () {
  "use strict";

  var PNG_SCALE = 3;
  var MUTED = "#505A5F";

  function escapeHtml(text) {
    return String(text || "")
      .replace(/&/g, "&amp;")
      .replace(/</g, "&lt;")
      .replace(/>/g, "&gt;");
  }

  function graphDiv(graphId) {
    var holder = document.getElementById(graphId);
    if (!holder) {
      return null;
    }
    return holder.classList.contains("js-plotly-plot")
      ? holder
      : holder.querySelector(".js-plotly-plot");
  }

  function hasSource(layout) {
    return (layout.annotations || []).some(function (note) {
      return note.name === "lsr-source" || /Source:/.test(note.text || "");
    });
  }

  function titleText(layout) {
    var title = layout.title;
    if (!title) {
      return "";
    }
    return typeof title === "string" ? title : title.text || "";
  }

  /* The figure to export: same data, same size as on screen, plus what the card shows
   * around the chart (title, subtitle, source) when the figure does not carry it. */
  function exportFigure(gd, meta) {
    var full = gd._fullLayout;
    var size = full._size;
    var layout = JSON.parse(JSON.stringify(gd.layout || {}));
    var width = Math.round(full.width);
    var height = Math.round(full.height);
    var top = size.t;
    var bottom = size.b;
    if (!titleText(layout) && meta.title) {
      top += meta.subtitle ? 76 : 52;
      layout.title = {
        text: "<b>" + escapeHtml(meta.title) + "</b>",
        x: 0,
        xanchor: "left",
        xref: "container",
        pad: { l: 12, t: 14 },
        y: 1,
        yref: "container",
        yanchor: "top",
        font: { size: 17 },
      };
      if (meta.subtitle) {
        layout.title.subtitle = {
          text: escapeHtml(meta.subtitle),
          font: { color: MUTED, size: 13 },
        };
      }
    }
    if (!hasSource(layout) && meta.source) {
      var lines = meta.source.split("<br>").length;
      layout.annotations = (layout.annotations || []).concat([
        {
          name: "lsr-source",
          text: meta.source,
          xref: "paper",
          yref: "paper",
          x: 0,
          y: 0,
          xanchor: "left",
          yanchor: "top",
          yshift: -(size.b + 6),
          showarrow: false,
          align: "left",
          font: { size: 11, color: MUTED },
        },
      ]);
      bottom += 22 + 16 * lines;
    }
    layout.margin = Object.assign({}, layout.margin, {
      l: size.l,
      r: size.r,
      t: top,
      b: bottom,
    });
    layout.width = width;
    layout.height = height + (top - size.t) + (bottom - size.b);
    return { data: gd.data, layout: layout };
  }

  function exportImage(format, meta) {
    var gd = graphDiv(meta.graph);
    if (!gd || !window.Plotly) {
      return Promise.reject(new Error("the chart is not drawn yet"));
    }
    var figure = exportFigure(gd, meta);
    return window.Plotly.downloadImage(figure, {
      format: format,
      width: figure.layout.width,
      height: figure.layout.height,
      scale: format === "png" ? PNG_SCALE : 1,
      filename: meta.filename || "chart",
    });
  }

  function triggeredFormat() {
    var context = window.dash_clientside.callback_context;
    var triggered = (context && context.triggered) || [];
    if (!triggered.length || !triggered[0].value) {
      return null;
    }
    return triggered[0].prop_id.indexOf('"format":"svg"') >= 0 ? "svg" : "png";
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.lsr = Object.assign({}, window.dash_clientside.lsr, {
    /* Clientside callback: a "Download image" menu item was chosen. */
    exportImage: function (_pngClicks, _svgClicks, meta) {
      var format = triggeredFormat();
      if (!format || !meta) {
        return window.dash_clientside.no_update;
      }
      var name = format.toUpperCase();
      return exportImage(format, meta).then(
        function () {
          return name + " image downloaded: " + meta.title;
        },
        function (error) {
          return "Could not make the " + name + " image (" + error.message + ").";
        }
      );
    },
  });

  window.lsrExport = { exportFigure: exportFigure, exportImage: exportImage };
})();

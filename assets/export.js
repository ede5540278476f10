/* Chart image export: a copy of the on-screen figure with its title, subtitle and source
 * baked in and the margins grown to fit them, downloaded with Plotly.downloadImage as PNG
 * (3x the on-screen size), as a 16:9 slide PNG (1920 x 1080: laid out at 960 x 540 and drawn
 * at 2x, so text keeps its on-screen size relative to the slide) or SVG. What the reader hid
 * via the legend stays out: those series, their legend entries and the words of the title,
 * subtitle and source that speak of them (meta.mentions, from
 * dashboard/ui/series_mentions.py), and the file name too. Used by the clientside callback in
 * dashboard/ui/chart_card.py; the chart itself is never changed. */
(function () {
  "use strict";

  var PNG_SCALE = 3;
  var SLIDE = { width: 960, height: 540, scale: 2 };
  var MUTED = "#505A5F";

  /* A test: is every trace of this legend name hidden via the legend? */
  function hiddenSeries(data) {
    var shown = {};
    var hidden = {};
    (data || []).forEach(function (trace) {
      if (!trace.name) {
        return;
      }
      if (trace.visible === "legendonly") {
        hidden[trace.name] = true;
      } else if (trace.visible !== false) {
        shown[trace.name] = true;
      }
    });
    return function (name) {
      return Boolean(hidden[name]) && !shown[name];
    };
  }

  /* ``text`` without the words that speak only of hidden series. */
  function unmentioned(text, mentions, isHidden) {
    return (mentions || []).reduce(function (result, mention) {
      if (!mention.series.length || !mention.series.every(isHidden)) {
        return result;
      }
      return result.replace(new RegExp(mention.pattern, "g"), "");
    }, String(text || ""));
  }

  /* The layout's title, subtitle and source note with ``edit`` applied to each text. */
  function editTexts(layout, edit) {
    if (typeof layout.title === "string") {
      layout.title = { text: layout.title };
    }
    if (layout.title && layout.title.text) {
      layout.title.text = edit(layout.title.text);
    }
    if (layout.title && layout.title.subtitle && layout.title.subtitle.text) {
      layout.title.subtitle.text = edit(layout.title.subtitle.text);
    }
    (layout.annotations || []).forEach(function (note) {
      if (note.name === "lsr-source" || /Source:/.test(note.text || "")) {
        note.text = edit(note.text);
      }
    });
  }

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
  /* The words that speak only of series hidden via the legend, left out of ``text``. */
  function shownText(gd, meta) {
    var isHidden = hiddenSeries(gd.data);
    return function (text) {
      return unmentioned(text, meta.mentions, isHidden);
    };
  }

  function exportFigure(gd, meta, slide) {
    var full = gd._fullLayout;
    var size = full._size;
    var layout = JSON.parse(JSON.stringify(gd.layout || {}));
    var width = Math.round(full.width);
    var height = Math.round(full.height);
    var edit = shownText(gd, meta);
    editTexts(layout, edit);
    meta = Object.assign({}, meta, {
      title: edit(meta.title),
      subtitle: edit(meta.subtitle),
      source: edit(meta.source),
    });
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
    layout.width = slide ? SLIDE.width : width;
    layout.height = slide ? SLIDE.height : height + (top - size.t) + (bottom - size.b);
    var data = (gd.data || []).filter(function (trace) {
      return trace.visible !== "legendonly";
    });
    return { data: data, layout: layout };
  }

  /* A file name from a title, as dashboard/ui/chart_card.py's image_filename writes it:
   * lower case words joined by hyphens. */
  function fileName(title) {
    var name = String(title || "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "");
    return name.slice(0, 80) || "chart";
  }

  /* ``kind`` is "png", "svg" or "slide" (a 16:9 PNG). */
  function exportImage(kind, meta) {
    var gd = graphDiv(meta.graph);
    if (!gd || !window.Plotly) {
      return Promise.reject(new Error("the chart is not drawn yet"));
    }
    var slide = kind === "slide";
    var figure = exportFigure(gd, meta, slide);
    var title = shownText(gd, meta)(meta.title); // the title the image carries
    // the file is named after that title: no "-vs-england" once England is hidden
    var name = title === meta.title ? meta.filename : fileName(title);
    return window.Plotly.downloadImage(figure, {
      format: kind === "svg" ? "svg" : "png",
      width: figure.layout.width,
      height: figure.layout.height,
      scale: slide ? SLIDE.scale : kind === "png" ? PNG_SCALE : 1,
      filename: (name || "chart") + (slide ? "-slide" : ""),
    }).then(function () {
      return title;
    });
  }

  function triggeredFormat() {
    var context = window.dash_clientside.callback_context;
    var triggered = (context && context.triggered) || [];
    if (!triggered.length || !triggered[0].value) {
      return null;
    }
    var found = /"format":"(\w+)"/.exec(triggered[0].prop_id);
    return found ? found[1] : "png";
  }

  window.dash_clientside = Object.assign({}, window.dash_clientside);
  window.dash_clientside.lsr = Object.assign({}, window.dash_clientside.lsr, {
    /* Clientside callback: a "Download image" menu item was chosen. */
    exportImage: function () {
      var meta = arguments[arguments.length - 1];
      var format = triggeredFormat();
      if (!format || !meta) {
        return window.dash_clientside.no_update;
      }
      var name = format === "slide" ? "Slide PNG" : format.toUpperCase();
      return exportImage(format, meta).then(
        function (title) {
          return name + " image downloaded: " + title;
        },
        function (error) {
          return "Could not make the " + name + " image (" + error.message + ").";
        }
      );
    },
  });

  window.lsrExport = {
    exportFigure: exportFigure,
    exportImage: exportImage,
    unmentioned: unmentioned,
  };
})();

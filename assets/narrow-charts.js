/* Charts on a narrow screen (a phone, 390 px): the figures are laid out for a desktop card, so
 * at phone width the title ran under the mode bar and off the edge, period labels turned on
 * end and were hidden by the legend, and the legend covered the source note. On a screen
 * narrower than NARROW pixels (the CSS phone breakpoint; small charts in a desktop card, such
 * as the profile's sparklines, keep their design) a chart with a title or a source note is
 * re-laid out in the browser, from what is actually drawn:
 *   - title and subtitle wrapped to the width, below the mode bar, pushing the plot down;
 *   - axis titles wrapped to the plot's height (vertical) or width (horizontal);
 *   - category (period) axes labelled every n-th period, horizontally, so labels fit;
 *   - the source note wrapped, at the bottom; the legend between the axis and the note.
 * The figure the server sent is kept: a chart that becomes wide again gets it back, and a
 * new figure (Plotly.react) starts afresh. Exports copy what is on screen. */
(function () {
  "use strict";

  var NARROW = 576; // px: screens narrower than this get the narrow layout
  var MODEBAR = 30; // px kept clear at the top for the mode bar
  var GAP = 8; // px between the stacked pieces
  var MIN_PLOT = 220; // px: the plot area keeps at least this height
  var MAX_PASSES = 4; // re-layouts per figure (each one measures the last)
  var canvas = document.createElement("canvas");

  function textWidth(text, font) {
    var context = canvas.getContext("2d");
    context.font =
      (font.weight || "normal") + " " + (font.size || 12) + "px " + (font.family || "sans-serif");
    return context.measureText(text).width;
  }

  function plain(html) {
    return String(html || "").replace(/<[^>]*>/g, "");
  }

  /* Words of each <br> line packed into lines no wider than ``width``. */
  function wrap(html, font, width) {
    var bold = /^\s*<b>/.test(html);
    var lines = [];
    String(html || "")
      .split(/<br\s*\/?>/i)
      .forEach(function (part) {
        var line = "";
        plain(part)
          .split(/\s+/)
          .filter(Boolean)
          .forEach(function (word) {
            var next = line ? line + " " + word : word;
            if (line && textWidth(next, font) > width) {
              lines.push(line);
              line = word;
            } else {
              line = next;
            }
          });
        lines.push(line);
      });
    var text = lines.join("<br>");
    return bold ? "<b>" + text + "</b>" : text;
  }

  function sourceNotes(layout) {
    var notes = [];
    (layout.annotations || []).forEach(function (note, index) {
      var below = note.yref === "paper" && note.y <= 0 && note.yanchor === "top";
      if (note.name === "lsr-source" || (below && /Source:/.test(note.text || ""))) {
        notes.push(index);
      }
    });
    return notes;
  }

  function categoryAxes(full) {
    return Object.keys(full).filter(function (key) {
      var axis = full[key];
      return (
        /^xaxis\d*$/.test(key) &&
        axis &&
        axis.visible !== false &&
        axis.showticklabels !== false &&
        axis.type === "category" &&
        axis._categories &&
        axis._categories.length > 1
      );
    });
  }

  function clone(value) {
    return JSON.parse(JSON.stringify(value || {}));
  }

  function path(key) {
    return key.replace(/\[(\d+)\]/g, ".$1").split(".");
  }

  function read(object, key) {
    return path(key).reduce(function (at, part) {
      return at === undefined || at === null ? undefined : at[part];
    }, object);
  }

  function write(object, key, value) {
    var parts = path(key);
    var at = object;
    parts.slice(0, -1).forEach(function (part) {
      if (at[part] === undefined || at[part] === null || typeof at[part] !== "object") {
        at[part] = {};
      }
      at = at[part];
    });
    at[parts[parts.length - 1]] = value;
  }

  /* The layout the server sent, kept until a new figure arrives (Dash calls Plotly.react with
   * a new layout object; the narrow layout is drawn with Plotly.react too, never relayout,
   * which dcc.Graph would write back into the figure it holds). */
  function original(gd) {
    var state = gd._lsrNarrow;
    if (state && state.current === gd.layout) {
      return state;
    }
    var layout = gd.layout || {};
    state = {
      original: clone(layout),
      current: layout,
      notes: sourceNotes(layout),
      passes: 0,
      narrow: false,
    };
    gd._lsrNarrow = state;
    return state;
  }

  function draw(gd, state, update) {
    var layout = clone(state.original);
    Object.keys(update).forEach(function (key) {
      write(layout, key, update[key]);
    });
    window.Plotly.react(gd, gd.data, layout);
    state.current = gd.layout;
  }

  function box(gd, selector) {
    var found = gd.querySelectorAll(selector);
    var top = Infinity;
    var bottom = -Infinity;
    found.forEach(function (element) {
      var rect = element.getBoundingClientRect();
      if (rect.height > 0) {
        top = Math.min(top, rect.top);
        bottom = Math.max(bottom, rect.bottom);
      }
    });
    return bottom > top ? { top: top, bottom: bottom, height: bottom - top } : null;
  }

  /* Pixels from the top of the chart to the title's anchor, so that the title's first line
   * starts just below the mode bar: a first guess, then corrected by what was drawn. */
  function titleOffset(gd, state) {
    var drawn = box(gd, "text.gtitle");
    if (!state.narrow || state.titleOffset === undefined || !drawn) {
      return MODEBAR;
    }
    var top = gd.getBoundingClientRect().top;
    var modebar = gd.querySelector(".modebar");
    var rect = modebar ? modebar.getBoundingClientRect() : null;
    var clear = (rect && rect.height ? rect.bottom - top : 0) + GAP;
    return state.titleOffset + (clear - (drawn.top - top));
  }

  /* The narrow layout for what is drawn now; {} when it is already in place. */
  function narrowUpdate(gd, state) {
    var full = gd._fullLayout;
    var size = full._size;
    var width = full.width;
    var update = {};
    var title = state.original.title;
    if (title && (title.text || typeof title === "string")) {
      var titleFont = Object.assign({}, full.title.font, { weight: "bold" });
      var text = wrap(typeof title === "string" ? title : title.text, titleFont, width - 36);
      update["title.text"] = text;
      update["title.x"] = 0;
      update["title.xref"] = "container";
      update["title.yref"] = "container";
      update["title.yanchor"] = "top";
      update["title.pad"] = { l: 12 };
      update["title.automargin"] = false; // Plotly then stacks wrapped lines upwards
      var subtitle = full.title.subtitle;
      if (subtitle && subtitle.text && title.subtitle && title.subtitle.text) {
        update["title.subtitle.text"] = wrap(title.subtitle.text, subtitle.font, width - 36);
      }
      var drawn = box(gd, "text.gtitle, text.gtitle-subtitle");
      var top = gd.getBoundingClientRect().top;
      update["margin.t"] = Math.ceil(drawn ? drawn.bottom - top + 2 * GAP : MODEBAR + GAP);
    }
    Object.keys(full).forEach(function (key) {
      var axis = full[key];
      var sent = read(state.original, key + ".title.text");
      if (/^yaxis\d*$/.test(key) && axis && axis.visible !== false && sent) {
        // a long vertical axis title is wrapped to the plot's height instead of overrunning it
        update[key + ".title.text"] = wrap(sent, axis.title.font, Math.max(80, size.h - GAP));
      }
      if (/^xaxis\d*$/.test(key) && axis && axis.visible !== false && sent) {
        // and a long horizontal one (the funnel's denominator) re-wrapped to the plot's width
        var words = String(sent).replace(/<br\s*\/?>/gi, " ");
        update[key + ".title.text"] = wrap(words, axis.title.font, Math.max(80, axis._length));
      }
    });
    categoryAxes(full).forEach(function (key) {
      var axis = full[key];
      var longest = axis._categories.reduce(function (most, label) {
        return Math.max(most, textWidth(String(label), axis.tickfont));
      }, 0);
      var fits = Math.max(1, Math.floor(axis._length / (longest + 12)));
      var step = Math.max(1, Math.ceil(axis._categories.length / fits));
      update[key + ".tickmode"] = "linear";
      update[key + ".tick0"] = 0;
      update[key + ".dtick"] = step;
      update[key + ".tickangle"] = 0;
    });
    var plotBottom = gd.getBoundingClientRect().top + size.t + size.h;
    var axes = box(gd, ".xaxislayer-above, .g-xtitle, .xtitle");
    var below = axes ? Math.max(0, axes.bottom - plotBottom) : 0;
    var notes = state.notes;
    var noteHeight = 0;
    notes.forEach(function (index) {
      var note = state.original.annotations[index];
      var drawn = gd.querySelector('.annotation[data-index="' + index + '"]');
      var lines = wrap(note.text, note.font || { size: 11 }, width - 2 * GAP - 4);
      update["annotations[" + index + "].text"] = lines;
      update["annotations[" + index + "].x"] = -(size.l - GAP) / size.w;
      update["annotations[" + index + "].align"] = "left";
      if (drawn) {
        noteHeight += drawn.getBoundingClientRect().height;
      }
    });
    var legend = full.showlegend ? box(gd, ".legend .bg") : null;
    var legendHeight = legend ? legend.height : 0;
    var offset = below + GAP;
    if (legendHeight) {
      update["legend.orientation"] = "h";
      update["legend.x"] = 0;
      update["legend.xanchor"] = "left";
      update["legend.yanchor"] = "top";
      offset += legendHeight + GAP;
    }
    var bottom = Math.ceil(offset + noteHeight + GAP);
    var topMargin = update["margin.t"] || size.t;
    var height = Math.max(state.original.height || full.height, topMargin + MIN_PLOT + bottom);
    var plotHeight = height - topMargin - bottom;
    if (update["title.text"] !== undefined) {
      state.titleOffset = titleOffset(gd, state);
      update["title.y"] = 1 - state.titleOffset / height;
    }
    if (legendHeight) {
      update["legend.y"] = -(below + GAP) / plotHeight;
    }
    notes.forEach(function (index) {
      update["annotations[" + index + "].yshift"] = -Math.round(offset);
    });
    update["margin.b"] = bottom;
    update.height = Math.round(height);
    return Object.keys(changes(gd, update)).length ? update : {};
  }

  /* The entries of ``update`` that differ from what is drawn (numbers within a pixel; the
   * height as drawn, since Plotly may drop it from the layout). */
  function changes(gd, update) {
    var out = {};
    Object.keys(update).forEach(function (key) {
      var current = key === "height" ? gd._fullLayout.height : read(gd.layout, key);
      var wanted = update[key];
      var same =
        typeof wanted === "number" && typeof current === "number"
          ? Math.abs(wanted - current) < (Math.abs(wanted) < 2 ? 0.005 : 1.5)
          : JSON.stringify(current) === JSON.stringify(wanted);
      if (!same) {
        out[key] = wanted;
      }
    });
    return out;
  }

  function adjust(gd) {
    var full = gd._fullLayout;
    if (!full || !full._size || !window.Plotly || (gd.layout.meta || {}).empty) {
      return;
    }
    var state = original(gd);
    if (state.width !== full.width) {
      state.width = full.width;
      state.passes = 0;
    }
    var titled = read(state.original, "title.text") || typeof state.original.title === "string";
    if (window.innerWidth >= NARROW || !(titled || state.notes.length)) {
      if (state.narrow) {
        state.narrow = false;
        draw(gd, state, {});
      }
      return;
    }
    if (state.passes >= MAX_PASSES) {
      return;
    }
    var update = narrowUpdate(gd, state);
    if (Object.keys(update).length) {
      state.passes += 1;
      state.narrow = true;
      draw(gd, state, update);
    }
  }

  function watch(gd) {
    if (gd._lsrNarrowWatched || typeof gd.on !== "function") {
      return;
    }
    gd._lsrNarrowWatched = true;
    gd.on("plotly_afterplot", function () {
      window.requestAnimationFrame(function () {
        adjust(gd);
      });
    });
    adjust(gd);
  }

  function watchAll() {
    document.querySelectorAll(".js-plotly-plot").forEach(watch);
  }

  function start() {
    watchAll();
    new MutationObserver(watchAll).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

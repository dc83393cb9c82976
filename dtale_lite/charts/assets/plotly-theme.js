// Plotly figures follow the page's colour scheme (issue 17): the server sends one figure for
// every reader (it is cached and shared by URL), and this script gives it the page's colours as
// Plotly template defaults (paper, plot area, text, grid lines) just before Plotly draws it, so
// a figure's own settings still win. A scheme change while the page is open redraws the graphs
// in place, with no request to the server. The colours are charts.css's --dl-* variables.
// The grid's theme toggle (issue 16) wins over the system's scheme: its links carry
// `theme=light|dark`, and the toggle saves the choice in localStorage (same origin).
(function () {
  "use strict";
  var chosen = null;
  try {
    chosen = new URLSearchParams(window.location.search).get("theme") ||
      window.localStorage.getItem("dtale-lite-theme");
  } catch (e) { /* storage blocked: the link's theme or the system's */ }
  if (chosen === "light" || chosen === "dark") document.documentElement.dataset.theme = chosen;
  var scheme = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  // One template object per palette: with a new object on every redraw, the redraw that follows
  // a zoom (Dash writes the zoom back into the figure) lost the zoom before it reached the
  // page's callback (tests/browser/test_charts.py, the density zoom).
  var cached = null;
  var cachedKey = null;

  function template() {
    var style = getComputedStyle(document.documentElement);
    var read = function (name, fallback) { return style.getPropertyValue(name).trim() || fallback; };
    var bg = read("--dl-bg", "#ffffff");
    var fg = read("--dl-fg", "#1f2328");
    var muted = read("--dl-muted", "#59636e");
    var border = read("--dl-border", "#d1d9e0");
    var key = [bg, fg, muted, border].join("|");
    if (key === cachedKey) return cached;
    var axis = { gridcolor: border, linecolor: border, zerolinecolor: border, tickcolor: muted };
    cachedKey = key;
    cached = { dtaleLite: true, layout: {
      paper_bgcolor: bg, plot_bgcolor: bg, font: { color: fg },
      xaxis: axis, yaxis: axis, legend: { bgcolor: "rgba(0,0,0,0)" },
      // 3D scenes (issue 16): their axes are drawn by WebGL, in these colours.
      scene: { xaxis: axis, yaxis: axis, zaxis: axis },
      // Maps (issue 16): the globe's background and borders; land and ocean keep Plotly's.
      geo: { bgcolor: bg, framecolor: border, countrycolor: muted, coastlinecolor: muted },
      coloraxis: { colorbar: { tickcolor: muted, outlinecolor: border } },
      modebar: { bgcolor: "rgba(0,0,0,0)", color: muted, activecolor: fg },
    } };
    return cached;
  }

  function themed(layout) {
    if (layout && layout.template && !layout.template.dtaleLite) return layout;  // its own
    return Object.assign({}, layout, { template: template() });
  }

  function wrap(plotly) {
    if (!plotly || plotly.dtaleLiteThemed) return plotly;
    ["newPlot", "react"].forEach(function (name) {
      var original = plotly[name];
      plotly[name] = function (gd, data, layout, config) {
        var traces = data && !Array.isArray(data) && typeof data === "object" ? data.data : data;
        if (window.dtaleLiteNeedsFullBundle && window.dtaleLiteNeedsFullBundle(traces)) {
          return Promise.resolve(gd);  // the page reloads with the full bundle (plotly-bundle.js)
        }
        if (data && !Array.isArray(data) && typeof data === "object") {  // ({data, layout, ...})
          data = Object.assign({}, data, { layout: themed(data.layout) });
          return original.call(this, gd, data);
        }
        return original.call(this, gd, data, themed(layout), config);
      };
    });
    plotly.dtaleLiteThemed = true;
    return plotly;
  }

  // Dash loads plotly.js on the first graph; its bundle ends with `window.Plotly = Plotly`.
  var current = wrap(window.Plotly);
  Object.defineProperty(window, "Plotly", {
    configurable: true,
    get: function () { return current; },
    set: function (value) { current = wrap(value); },
  });

  if (scheme && scheme.addEventListener) {
    scheme.addEventListener("change", function () {
      if (!current) return;
      document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
        if (gd.data && gd.layout) current.react(gd, gd.data, gd.layout);
      });
    });
  }
})();

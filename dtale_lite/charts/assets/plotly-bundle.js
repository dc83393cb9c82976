// Which plotly.js the chart page loads (issue 16). Dash's Graph loads plotly.js from
// window._dashPlotlyJSURL on its first graph; the server answers that URL with plotly.js's
// cartesian bundle (1.5 MB, fast to compile: issue 17), which lacks the trace types below. A
// page whose URL names one of them gets the full bundle (?bundle=full) instead; a cartesian
// page whose next chart needs one (the type was changed in the page) reloads once its URL
// names that type, so it loads the full bundle. plotly_bundle.FULL_TRACES lists the same types.
(function () {
  "use strict";
  var FULL_TYPES = ["candlestick", "choropleth", "funnel", "scatter3d", "scattergeo", "sunburst",
                    "surface", "treemap"];
  // Chart types (the URL's `type`) whose traces are of the types above under another name.
  var FULL_KINDS = ["map"];

  function urlNeedsFull() {
    var type = new URLSearchParams(window.location.search).get("type");
    return FULL_TYPES.indexOf(type) >= 0 || FULL_KINDS.indexOf(type) >= 0;
  }

  var full = urlNeedsFull();
  var url;
  // Dash's renderer sets this as it mounts (after this script): add the choice to it.
  Object.defineProperty(window, "_dashPlotlyJSURL", {
    configurable: true,
    get: function () { return url; },
    set: function (value) {
      url = full && value ? value + (value.indexOf("?") >= 0 ? "&" : "?") + "bundle=full" : value;
    },
  });

  // Called by plotly-theme.js before each draw: true (and a reload on its way) when the
  // figure has a trace type this page's bundle lacks.
  window.dtaleLiteNeedsFullBundle = function (data) {
    if (full || !Array.isArray(data)) return false;
    var needed = data.some(function (trace) {
      return trace && FULL_TYPES.indexOf(trace.type) >= 0;
    });
    if (!needed) return false;
    full = true;  // once: the page is about to reload
    // The callback that sent this figure also writes the page's URL; wait until it names the
    // new type (at most 2 s), so the reloaded page draws this chart.
    var waited = 0;
    (function reloadWhenReady() {
      if (urlNeedsFull() || waited >= 2000) {
        window.location.reload();
        return;
      }
      waited += 25;
      setTimeout(reloadWhenReady, 25);
    })();
    return true;
  };
})();

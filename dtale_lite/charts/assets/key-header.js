// The chart pages' key travels in the page URL (?key=...), but Dash's renderer fetches its
// layout, dependencies and callbacks without the query string, and it replaces any `fetch`
// settings from its config when it mounts (AppContainer sets config.fetch itself). So this
// script, loaded before the renderer, adds the key as the X-Dtale-Lite-Key header to this
// Dash app's own requests (same origin, under its requests_pathname_prefix) and to nothing
// else. No cookies. It reads the key once, at load, before any callback rewrites the URL.
// The layout request also gets the page's path and query (without the key) as
// X-Dtale-Lite-Page, so the server can send the page with its first chart already drawn.
(function () {
  "use strict";
  var configElement = document.getElementById("_dash-config");
  if (!configElement) {
    return;
  }
  var params = new URLSearchParams(window.location.search);
  var key = params.get("key");
  params.delete("key");
  var query = params.toString();
  var page = window.location.pathname + (query ? "?" + query : "");
  var prefix = JSON.parse(configElement.textContent).requests_pathname_prefix;
  var originalFetch = window.fetch;
  window.fetch = function (input, init) {
    var target = new URL(input instanceof Request ? input.url : String(input), window.location.href);
    if (target.origin === window.location.origin && target.pathname.indexOf(prefix) === 0) {
      init = Object.assign({}, init);
      var headers = new Headers(init.headers || (input instanceof Request ? input.headers : undefined));
      if (key) {
        headers.set("X-Dtale-Lite-Key", key);
      }
      if (target.pathname === prefix + "_dash-layout") {
        headers.set("X-Dtale-Lite-Page", page);
      }
      init.headers = headers;
    }
    return originalFetch.call(this, input, init);
  };
  // plotly.js fetches map shapes (/charts/_geo/..., issue 16) with XMLHttpRequest, not fetch.
  var originalOpen = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    var result = originalOpen.apply(this, arguments);
    var target = new URL(String(url), window.location.href);
    if (key && target.origin === window.location.origin && target.pathname.indexOf(prefix) === 0) {
      this.setRequestHeader("X-Dtale-Lite-Key", key);
    }
    return result;
  };
})();

// The chart page's zoom (issue 6), relayed to the server only when it is one: Plotly also
// reports {"autosize": true} and {"dragmode": ...} as relayoutData, often right after a zoom.
// Sent to the server, such a report dispatched a newer call of the drawing callback, and Dash
// drops the answer of the older one as outdated: under load, the zoom's answer (the re-binned
// cells and the range in the URL) was lost. Only ranges and autorange reach the server now.
window.dash_clientside = Object.assign({}, window.dash_clientside, {
  dtaleLite: Object.assign({}, (window.dash_clientside || {}).dtaleLite, {
    zoomOnly: function (relayout) {
      if (relayout) {
        for (const key of Object.keys(relayout)) {
          if (key.indexOf("axis.range") >= 0 || key.indexOf("axis.autorange") >= 0) {
            return relayout;
          }
        }
      }
      return window.dash_clientside.no_update;
    },
  }),
});

"""WCAG contrast of every visible text label on a page, measured in the browser.

``low_contrast(page)`` returns the labels whose contrast ratio against their effective
background is below 4.5 (3 for large text: 24 px, or 18.66 px bold), each as a dict with the
text, the ratio, both colours and where it is. The effective background is the first
non-transparent background of the element or its ancestors, with semi-transparent layers
composed over what lies below, down to the page's canvas colour. SVG text (Plotly's axes,
titles and legends) is read with its fill and the background of the SVG it sits in; data
labels drawn on the marks themselves (a heatmap cell's value) are Plotly's to colour and are
left out, except a treemap's or sunburst's tile labels and a funnel's bar labels (issue 16):
those are read against the tile's or bar's own fill, composed over the paper, since the labels of parent tiles sit on the
template's colours.
"""
from __future__ import annotations

LOW_CONTRAST_JS = r"""() => {
  const parse = (text) => {
    const m = /rgba?\(([^)]+)\)/.exec(text || '');
    if (!m) return null;
    const parts = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
    return {r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1};
  };
  const over = (top, below) => {  // top composed over an opaque colour
    const a = top.a;
    return {r: top.r * a + below.r * (1 - a), g: top.g * a + below.g * (1 - a),
            b: top.b * a + below.b * (1 - a), a: 1};
  };
  const probe = document.createElement('div');
  probe.style.background = 'Canvas';
  document.body.append(probe);
  let canvas = parse(getComputedStyle(probe).backgroundColor) || {r: 255, g: 255, b: 255, a: 1};
  probe.remove();
  for (const root of [document.documentElement, document.body]) {
    const bg = parse(getComputedStyle(root).backgroundColor);
    if (bg && bg.a > 0) canvas = over(bg, canvas);
  }
  const background = (el) => {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      if (node === document.documentElement || node === document.body) break;
      const style = getComputedStyle(node);
      let bg = parse(style.backgroundColor);
      if (node instanceof SVGElement && node.tagName !== 'svg') bg = null;  // <g> has none
      if (node.classList.contains('svg-container')) {
        // Plotly stacks its SVGs: the text of the top one lies over the paper of the first.
        const paper = node.querySelector(':scope > .main-svg');
        bg = paper ? parse(getComputedStyle(paper).backgroundColor) : bg;
      }
      if (bg && bg.a > 0) {
        layers.push(bg);
        if (bg.a >= 1) break;
      }
    }
    let colour = layers.length && layers[layers.length - 1].a >= 1 ? null : canvas;
    for (let i = layers.length - 1; i >= 0; i--) colour = colour ? over(layers[i], colour) : layers[i];
    return colour;
  };
  const luminance = (c) => {
    const lin = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const opacity = (el) => {
    let o = 1;
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      o *= Number(getComputedStyle(node).opacity);
    }
    return o;
  };
  const where = (el) => {
    const parts = [];
    for (let node = el; node && node.nodeType === 1 && parts.length < 4; node = node.parentElement) {
      const id = node.getAttribute('data-testid') || node.id;
      const cls = typeof node.className === 'string' ? node.className.split(' ')[0] : '';
      parts.unshift(node.tagName.toLowerCase() + (id ? `[${id}]` : cls ? `.${cls}` : ''));
    }
    return parts.join(' > ');
  };
  const labels = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.textContent.trim() && node.parentElement) labels.add(node.parentElement);
  }
  for (const input of document.querySelectorAll('input[type=text], input[type=number], input[type=search], input:not([type]), select, textarea')) {
    if (input.value) labels.add(input);
  }
  // A treemap or sunburst label lies on its tile (the fill of the slice's surface), a label
  // inside a funnel's bar on the bar.
  const tileFill = (el) => {
    const slice = el.closest('.treemaplayer .slice, .sunburstlayer .slice, .funnellayer .point');
    const surface = slice && slice.querySelector('path.surface, :scope > path');
    if (!surface) return null;
    const style = getComputedStyle(surface);
    const fill = parse(style.fill);
    return fill ? {...fill, a: fill.a * Number(style.fillOpacity || 1)} : null;
  };
  const failures = [];
  let checked = 0;
  for (const el of labels) {
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TITLE', 'OPTION'].includes(el.tagName)) continue;
    if (el.closest('.cartesianlayer .plot, .heatmaplayer, .pielayer .slice text, .hoverlayer')) continue;
    if (el.closest('[hidden], details:not([open]) > :not(summary)')) continue;
    const box = el.getBoundingClientRect();
    if (box.width < 1 || box.height < 1) continue;
    if (box.right < 0 || box.bottom < 0 || box.left > innerWidth || box.top > innerHeight * 3) continue;
    const style = getComputedStyle(el);
    if (style.visibility !== 'visible' || opacity(el) < 0.05) continue;
    const isSvg = el instanceof SVGElement;
    let fg = parse(isSvg ? style.fill : style.color);
    if (!fg) continue;
    let bg = background(el);
    const tile = tileFill(el);
    if (tile && tile.a > 0) bg = over(tile, bg);
    fg = over({...fg, a: fg.a * (isSvg ? Number(style.fillOpacity || 1) : 1)}, bg);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const need = large ? 3 : 4.5;
    const got = ratio(fg, bg);
    checked += 1;
    if (got < need) {
      const text = (el.value || el.textContent).trim().replace(/\s+/g, ' ').slice(0, 40);
      const rgb = (c) => `rgb(${Math.round(c.r)}, ${Math.round(c.g)}, ${Math.round(c.b)})`;
      failures.push({text, ratio: Math.round(got * 100) / 100, need, fg: rgb(fg), bg: rgb(bg), where: where(el)});
    }
  }
  return {checked, failures};
}"""


def low_contrast(page) -> tuple[int, list[dict]]:
    """``(labels checked, labels below the WCAG AA ratio)`` on the page as it is now."""
    found = page.evaluate(LOW_CONTRAST_JS)
    return found["checked"], found["failures"]


def describe_failures(failures: list[dict]) -> str:
    return "\n".join(f"  {f['text']!r}: {f['ratio']} < {f['need']} ({f['fg']} on {f['bg']}) "
                     f"at {f['where']}" for f in failures)

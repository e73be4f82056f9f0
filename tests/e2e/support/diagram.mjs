// Measures the drawn diagram in a page or frame: where the failure badges
// sit against the labels they annotate, and how big its text renders.

/**
 * Every failure badge, and every pair of a badge and a zone, node or region
 * label whose on-screen boxes intersect. `target` is a Page or a Frame.
 */
export async function badgeReport(target) {
  return target.evaluate(() => {
    const box = (el) => el.getBoundingClientRect();
    const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const badges = [...document.querySelectorAll('svg.diagram .badge')];
    const labels = [...document.querySelectorAll('svg.diagram .layer-regions text, svg.diagram .layer-nodes text')];
    const overlaps = [];
    for (const b of badges) {
      for (const t of labels) {
        if (meets(box(b), box(t))) overlaps.push(`badge "${b.textContent}" covers label "${t.textContent}"`);
      }
    }
    // A badge takes no pointer events: what lies under its middle is never the badge.
    const grabbing = badges.filter((b) => {
      const r = box(b);
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return hit && hit.closest('.layer-badges');
    }).map((b) => b.textContent);
    return {
      badges: badges.map((b) => b.textContent),
      labels: labels.length,
      overlaps,
      grabbing,
    };
  });
}

/**
 * Rendered text sizes [px]: for each SVG text in the diagram its font size
 * times the SVG's scale on screen, and the height of its box; for HTML text,
 * the computed font size of each visible element that holds text itself.
 * Returns the smallest of each with an example.
 */
export async function textSizes(target) {
  return target.evaluate(() => {
    const visible = (el) => {
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
    };
    let svgMin = { px: Infinity, box: Infinity, text: '' };
    for (const t of document.querySelectorAll('svg.diagram text')) {
      if (!t.textContent.trim() || !visible(t)) continue;
      const px = parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a;
      const h = t.getBoundingClientRect().height;
      if (px < svgMin.px) svgMin = { px, box: h, text: t.textContent };
    }
    let htmlMin = { px: Infinity, text: '' };
    for (const el of document.body.querySelectorAll('*')) {
      if (el.closest('svg') || el.closest('.sr-only')) continue;
      const own = [...el.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim()).map((n) => n.textContent.trim()).join(' ');
      if (!own || !visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.width <= 1 && r.height <= 1) continue; // visually hidden (headings of the embed's regions)
      const px = parseFloat(getComputedStyle(el).fontSize);
      if (px === 0) continue; // not drawn at all (a word only screen readers get)
      if (px < htmlMin.px) htmlMin = { px, text: own.slice(0, 60) };
    }
    return { svg: svgMin, html: htmlMin };
  });
}

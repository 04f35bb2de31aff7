// The page's layout problems: see layout.py. Evaluated by Playwright (an async function).
(async () => {
  const problems = [];
  const label = (el) => {
    const cls = [...el.classList].filter(c => c.startsWith('w2v-')).slice(0, 2).join('.');
    const text = (el.innerText || el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return `${el.tagName.toLowerCase()}${cls ? '.' + cls : ''} "${text}"`;
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
  };
  const outputs = [...document.querySelectorAll('.jp-OutputArea-output, .output_subarea')];
  const roots = [];
  for (const out of outputs) {
    for (const el of out.querySelectorAll('[class*="w2v-"]')) {
      if (!el.parentElement.closest('[class*="w2v-"]')) roots.push([out, el]);
    }
  }
  for (const [out, root] of roots) {
    if (!visible(root) || !visible(out)) continue;
    const outRect = out.getBoundingClientRect(), rootRect = root.getBoundingClientRect();
    if (rootRect.right > outRect.right + 1) {
      problems.push(`${label(root)} is ${Math.round(rootRect.right - outRect.right)} px wider than its output`);
    }
    for (const el of [root, ...root.querySelectorAll('*')]) {
      if (el instanceof SVGElement || !visible(el)) continue;
      const ox = getComputedStyle(el).overflowX;
      if (el.scrollWidth > el.clientWidth + 1 && (ox !== 'visible' || el === root)) {
        problems.push(`${label(el)} clips its content: scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}`);
      }
    }
  }
  const MAP_LABELS = 20;
  const overlaps = (svg, name) => {
    const shown = (t) => (t.textContent || '').trim() && getComputedStyle(t).visibility !== 'hidden' &&
      getComputedStyle(t).display !== 'none' && getComputedStyle(t).opacity !== '0';
    const texts = [...svg.querySelectorAll('text')].filter(shown);
    const boxes = texts.map(t => t.getBoundingClientRect());
    // a chart's data labels (words on a map): a text mark showing many of them; a few texts
    // (annotations: epoch and run marks, reference levels) must each be readable
    const marks = texts.map(t => t.closest('.mark-text'));
    const shownIn = new Map();
    for (const m of marks) if (m) shownIn.set(m, (shownIn.get(m) || 0) + 1);
    const isLabel = marks.map(m => !!m && shownIn.get(m) >= MAP_LABELS);
    const piled = new Set();
    let labels = 0;
    for (let i = 0; i < texts.length; i++) {
      if (isLabel[i]) labels++;
      for (let j = i + 1; j < texts.length; j++) {
        const a = boxes[i], b = boxes[j];
        const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        const small = Math.min(a.width * a.height, b.width * b.height);
        if (!(w > 0 && h > 0 && small > 0 && w * h > 0.2 * small)) continue;
        if (isLabel[i] && isLabel[j]) { piled.add(i); piled.add(j); continue; }
        problems.push(`${name}: text "${texts[i].textContent.trim().slice(0, 20)}" overlaps "${texts[j].textContent.trim().slice(0, 20)}"`);
      }
    }
    // a word map may let a few labels touch; a pile of them is unreadable
    if (piled.size > Math.max(2, 0.02 * labels)) {
      problems.push(`${name}: ${piled.size} of ${labels} labels overlap another`);
    }
  };
  for (const [, root] of roots) {
    if (!visible(root)) continue;
    for (const svg of root.querySelectorAll('svg')) if (visible(svg)) overlaps(svg, label(root));
  }
  for (const out of outputs) {
    for (const img of out.querySelectorAll('img')) {
      if (!img.src || !img.src.includes('svg') || !visible(out)) continue;
      const avail = out.getBoundingClientRect().width;
      if (img.naturalWidth > avail + 1) {
        problems.push(`chart image ${img.naturalWidth} px wide in an output ${Math.round(avail)} px wide`);
      }
      const source = await (await fetch(img.src)).text();
      const holder = document.createElement('div');
      holder.style.cssText = 'position:absolute;left:-20000px;top:0;';
      holder.innerHTML = source;
      document.body.appendChild(holder);
      const svg = holder.querySelector('svg');
      const title = svg ? [...svg.querySelectorAll('text')].map(t => t.textContent).find(t => t.length > 12) || '' : '';
      if (svg) overlaps(svg, `chart "${title.slice(0, 40)}"`);
      holder.remove();
    }
  }
  return problems;
})

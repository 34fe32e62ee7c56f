// Draws the connectors of the highlighted key: from its node in the hierarchy to every place it lives.
// Written straight into the SVG (no React state) so hovering never re-renders the whole map.

const SVG_NS = 'http://www.w3.org/2000/svg';

function centreLeft(r: DOMRect, origin: DOMRect) {
  return { x: r.left - origin.left, y: r.top - origin.top + r.height / 2 };
}

function centreRight(r: DOMRect, origin: DOMRect) {
  return { x: r.right - origin.left, y: r.top - origin.top + r.height / 2 };
}

export function drawConnectors(container: HTMLElement, svg: SVGSVGElement, keyId: string | null, strokeClass: string) {
  const origin = container.getBoundingClientRect();
  svg.setAttribute('width', String(container.scrollWidth));
  svg.setAttribute('height', String(container.scrollHeight));
  const paths: SVGElement[] = [];
  if (keyId) {
    const chips = container.querySelectorAll<HTMLElement>(`[data-key-id="${CSS.escape(keyId)}"]`);
    const source = [...chips].find((c) => c.dataset.chipRole === 'tree');
    if (source) {
      const from = centreRight(source.getBoundingClientRect(), origin);
      for (const chip of chips) {
        if (chip === source) continue;
        const to = centreLeft(chip.getBoundingClientRect(), origin);
        const bend = Math.max(40, Math.abs(to.x - from.x) / 2);
        const path = document.createElementNS(SVG_NS, 'path');
        path.setAttribute('d', `M${from.x},${from.y} C${from.x + bend},${from.y} ${to.x - bend},${to.y} ${to.x},${to.y}`);
        path.setAttribute('class', `${strokeClass} fill-none`);
        path.setAttribute('stroke-width', '2');
        if (chip.dataset.form !== 'plain') path.setAttribute('stroke-dasharray', '5 4');
        const dot = document.createElementNS(SVG_NS, 'circle');
        dot.setAttribute('cx', String(to.x));
        dot.setAttribute('cy', String(to.y));
        dot.setAttribute('r', '3');
        dot.setAttribute('class', `${strokeClass} fill-white dark:fill-slate-900`);
        paths.push(path, dot);
      }
    }
  }
  svg.replaceChildren(...paths);
}

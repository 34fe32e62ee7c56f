'use client';
// The key map: where every key of the lab currently lives, drawn so the learner can see it at a glance.
// Left: the wrap hierarchy (KDK ⊃ KEK ⊃ DEK). Right: one lane per kind of place, a box per object, a chip per key.
// Hover or focus a key and every place it lives lights up and is joined to it by a line; a table says the same.
import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { KeyLocation, LabView } from '@/machines/lab-types';
import { buildKeyTree, buildLanes, objectNames } from './key-map-model';
import type { ChipEmphasis, ChipHighlight } from './key-chip';
import { KeyTree } from './key-tree';
import { KeyLanes } from './key-lanes';
import { KeyMapLegend } from './key-map-legend';
import { KeyMapTable } from './key-map-table';
import { KeyDetails } from './key-details';
import { drawConnectors } from './key-map-lines';
import { LEVEL_LOOK } from './key-style';

type Mode = 'picture' | 'table';

function relatives(keyId: string, byId: Map<string, KeyLocation>, keyMap: KeyLocation[]): Set<string> {
  const related = new Set<string>();
  // Up the chain: the key that wraps it (DEK, standard KEK) or the KDK it is derived from (NKP KEK).
  const up = (k: KeyLocation | undefined) => k?.wrappedBy ?? k?.derivedFrom ?? null;
  for (let k = byId.get(keyId), p = up(k); p && !related.has(p); k = byId.get(p), p = up(k)) related.add(p);
  const below = [keyId];
  while (below.length > 0) {
    const parent = below.pop();
    for (const k of keyMap) {
      if (up(k) === parent && !related.has(k.keyId) && k.keyId !== keyId) {
        related.add(k.keyId);
        below.push(k.keyId);
      }
    }
  }
  return related;
}

export function KeyMap(props: {
  view: LabView;
  onSelectObject?: (objectId: string) => void;
  /** 1 when the key map is the page itself (the workspace's Key map page), 3 inside an object page. */
  headingLevel?: 1 | 2 | 3;
}) {
  const { view, onSelectObject, headingLevel = 3 } = props;
  const Title = `h${headingLevel}` as const;
  const [mode, setMode] = useState<Mode>('picture');
  const [hoverKeyId, setHoverKeyId] = useState<string | null>(null);
  const [pinnedKeyId, setPinnedKeyId] = useState<string | null>(null);

  const names = useMemo(() => objectNames(view), [view]);
  const lanes = useMemo(() => buildLanes(view), [view]);
  const tree = useMemo(() => buildKeyTree(view.keyMap), [view.keyMap]);
  const byId = useMemo(() => new Map(view.keyMap.map((k) => [k.keyId, k])), [view.keyMap]);

  const activeKeyId = [hoverKeyId, pinnedKeyId].find((id) => id !== null && byId.has(id)) ?? null;
  const activeKey = activeKeyId ? (byId.get(activeKeyId) ?? null) : null;
  const related = useMemo(
    () => (activeKeyId ? relatives(activeKeyId, byId, view.keyMap) : new Set<string>()),
    [activeKeyId, byId, view.keyMap],
  );
  const emphasisOf = (keyId: string): ChipEmphasis =>
    !activeKeyId ? 'normal' : keyId === activeKeyId ? 'active' : related.has(keyId) ? 'related' : 'dim';
  const highlight: ChipHighlight = {
    emphasisOf,
    pinnedKeyId,
    onHover: setHoverKeyId,
    onTogglePin: (keyId) => setPinnedKeyId((p) => (p === keyId ? null : keyId)),
  };

  const containerRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const stroke = activeKey ? LEVEL_LOOK[activeKey.level].stroke : '';
  useLayoutEffect(() => {
    const container = containerRef.current;
    const svg = svgRef.current;
    if (!container || !svg) return;
    const draw = () => drawConnectors(container, svg, activeKeyId, stroke);
    draw();
    const observer = new ResizeObserver(draw);
    observer.observe(container);
    return () => observer.disconnect();
  }, [activeKeyId, stroke, lanes, mode]);

  const modeButton = (m: Mode, label: string) => (
    <button
      type="button"
      aria-pressed={mode === m}
      onClick={() => setMode(m)}
      className={
        'px-3 py-1 text-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 ' +
        (mode === m
          ? 'bg-blue-700 text-white dark:bg-sky-300 dark:text-slate-950'
          : 'bg-white text-slate-800 hover:bg-slate-100 dark:bg-slate-900 dark:text-slate-100 dark:hover:bg-slate-800')
      }
    >
      {label}
    </button>
  );

  return (
    <section aria-labelledby="key-map-title" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <Title id="key-map-title" className={`${headingLevel === 1 ? 'text-xl' : 'text-lg'} font-semibold text-slate-900 dark:text-slate-100`}>
            Key map
          </Title>
          <p className="text-sm text-slate-700 dark:text-slate-300">
            Every key in the lab and where it lives right now.{' '}
            {view.keyMap.length === 0 && 'No keys yet: encrypt a VM or add a Native Key Provider to make some.'}
          </p>
        </div>
        <div role="group" aria-label="Show the key map as" className="flex overflow-hidden rounded-md border border-slate-400 dark:border-slate-500">
          {modeButton('picture', 'Picture')}
          {modeButton('table', 'Table')}
        </div>
      </div>

      {mode === 'table' ? (
        <KeyMapTable keyMap={view.keyMap} names={names} />
      ) : (
        <>
          <KeyMapLegend />
          <div ref={containerRef} className="relative grid grid-cols-1 gap-4 sm:grid-cols-[13rem_minmax(0,1fr)]" data-testid="key-map-picture">
            <div>
              <h4 className="mb-1 text-sm font-semibold text-slate-900 dark:text-slate-100">Key hierarchy</h4>
              <p className="mb-2 text-[11px] leading-snug text-slate-600 dark:text-slate-300">Each key once, under the key that wraps it.</p>
              <KeyTree roots={tree} byId={byId} highlight={highlight} />
            </div>
            <KeyLanes lanes={lanes} byId={byId} names={names} highlight={highlight} onSelectObject={onSelectObject} />
            <svg ref={svgRef} aria-hidden="true" className="pointer-events-none absolute top-0 left-0 overflow-visible" />
          </div>
          <KeyDetails keyLoc={activeKey} byId={byId} names={names} pinned={activeKeyId !== null && activeKeyId === pinnedKeyId} />
        </>
      )}
    </section>
  );
}

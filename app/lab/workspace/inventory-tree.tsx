'use client';
// The inventory tree (WAI-ARIA tree): Up/Down move, Right opens or steps in, Left closes or steps out, Home/End jump,
// Enter/Space or a click open the object's page, typing a letter jumps to the next item starting with it.
// One item is in the tab order at a time (roving tabindex).
import { Fragment, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { Route } from '../navigation';
import { allParentIds, ancestorsOf, visibleNodes, type TreeNode } from './inventory-model';
import { NodeIcon } from './node-icon';

export interface InventoryTreeProps {
  roots: TreeNode[];
  selectedId: string | null;
  onOpen: (route: Route) => void;
}

const toneText: Record<TreeNode['tone'], string> = {
  normal: 'text-slate-600 dark:text-slate-400',
  muted: 'text-slate-600 dark:text-slate-400',
  warning: 'text-amber-800 dark:text-amber-300',
  danger: 'text-red-700 dark:text-red-300',
};

export function InventoryTree({ roots, selectedId, onOpen }: InventoryTreeProps) {
  // Collapsed (not expanded) ids are remembered, so branches that appear later (a new provider) start open.
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const expanded = useMemo(() => {
    const set = new Set(allParentIds(roots));
    for (const id of collapsed) set.delete(id);
    // The selected item is never hidden inside a closed branch.
    if (selectedId) for (const id of ancestorsOf(roots, selectedId)) set.add(id);
    return set;
  }, [roots, collapsed, selectedId]);
  const rows = useMemo(() => visibleNodes(roots, expanded), [roots, expanded]);

  const [focusId, setFocusId] = useState<string | null>(null);
  const tabStop = rows.some((r) => r.node.id === focusId)
    ? focusId
    : rows.some((r) => r.node.id === selectedId)
      ? selectedId
      : (rows[0]?.node.id ?? null);
  const itemRefs = useRef(new Map<string, HTMLDivElement>());
  const wantFocus = useRef<string | null>(null);

  useEffect(() => {
    const id = wantFocus.current;
    if (!id) return;
    wantFocus.current = null;
    itemRefs.current.get(id)?.focus();
  });

  const moveTo = (id: string) => {
    setFocusId(id);
    wantFocus.current = id;
    itemRefs.current.get(id)?.focus();
  };

  const setOpen = (id: string, open: boolean) => {
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (open) next.delete(id);
      else next.add(id);
      return next;
    });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const i = rows.findIndex((r) => r.node.id === tabStop);
    const row = rows[i];
    if (!row) return;
    const { node } = row;
    const hasChildren = node.children.length > 0;
    const isOpen = expanded.has(node.id);
    let handled = true;
    switch (e.key) {
      case 'ArrowDown':
        if (rows[i + 1]) moveTo(rows[i + 1]!.node.id);
        break;
      case 'ArrowUp':
        if (rows[i - 1]) moveTo(rows[i - 1]!.node.id);
        break;
      case 'Home':
        if (rows[0]) moveTo(rows[0].node.id);
        break;
      case 'End':
        if (rows.length > 0) moveTo(rows[rows.length - 1]!.node.id);
        break;
      case 'ArrowRight':
        if (hasChildren && !isOpen) setOpen(node.id, true);
        else if (hasChildren) moveTo(node.children[0]!.id);
        break;
      case 'ArrowLeft':
        if (hasChildren && isOpen && !(selectedId && ancestorsOf(roots, selectedId).includes(node.id))) setOpen(node.id, false);
        else if (row.parentId) moveTo(row.parentId);
        break;
      case 'Enter':
      case ' ':
        if (node.route) onOpen(node.route);
        else if (hasChildren) setOpen(node.id, !isOpen);
        break;
      default:
        if (e.key.length === 1 && /\S/.test(e.key)) {
          const ch = e.key.toLowerCase();
          const order = [...rows.slice(i + 1), ...rows.slice(0, i + 1)];
          const hit = order.find((r) => r.node.label.toLowerCase().startsWith(ch));
          if (hit) moveTo(hit.node.id);
        } else {
          handled = false;
        }
    }
    if (handled) {
      e.preventDefault();
      e.stopPropagation();
    }
  };

  const renderNode = (node: TreeNode, level: number, posinset: number, setsize: number) => {
    const hasChildren = node.children.length > 0;
    const isOpen = expanded.has(node.id);
    const selected = node.id === selectedId;
    // The row is the treeitem and its child group is its sibling (both owned by the tree or the parent group), so an
    // item's visible text is only its own row: its accessible name then contains exactly what the learner sees
    // (WCAG 2.5.3 Label in Name), never its children's labels.
    return (
      <li key={node.id} role="none">
        <div
          ref={(el) => {
            if (el) itemRefs.current.set(node.id, el);
            else itemRefs.current.delete(node.id);
          }}
          role="treeitem"
          aria-level={level}
          aria-posinset={posinset}
          aria-setsize={setsize}
          aria-expanded={hasChildren ? isOpen : undefined}
          aria-selected={selected}
          aria-label={node.states.length > 0 ? `${node.label} (${node.states.join(', ')})` : node.label}
          data-node-id={node.id}
          tabIndex={node.id === tabStop ? 0 : -1}
          onFocus={(e) => {
            if (e.target === e.currentTarget) setFocusId(node.id);
          }}
          onClick={(e) => {
            e.stopPropagation();
            setFocusId(node.id);
            if (node.route) onOpen(node.route);
            else if (hasChildren) setOpen(node.id, !isOpen);
          }}
          className="cursor-pointer outline-none focus-visible:outline-2 focus-visible:outline-offset-[-2px] focus-visible:outline-blue-600 dark:focus-visible:outline-blue-400 rounded"
        >
          <div
            style={{ paddingLeft: `${(level - 1) * 0.9 + 0.25}rem` }}
            className={`flex items-center gap-1 rounded py-1 pr-1 text-sm lg:py-0.5 ${
              selected
                ? 'bg-blue-100 font-semibold text-blue-950 dark:bg-blue-900/60 dark:text-white'
                : 'text-slate-900 hover:bg-slate-200 dark:text-slate-100 dark:hover:bg-slate-800'
            }`}
          >
            <span
              aria-hidden="true"
              className="inline-flex w-4 shrink-0 justify-center text-slate-600 dark:text-slate-400"
              onClick={(e) => {
                if (!hasChildren) return;
                e.stopPropagation();
                setFocusId(node.id);
                setOpen(node.id, !isOpen);
              }}
            >
              {hasChildren ? <Chevron open={isOpen} /> : null}
            </span>
            <NodeIcon kind={node.kind} />
            <span className={`max-w-[70%] shrink-0 truncate ${node.tone === 'muted' && !selected ? 'italic' : ''}`}>{node.label}</span>
            {node.states.length > 0 ? (
              <>
                {' '}
                {/* Hidden from the name (the item's aria-label lists the states); the dots are drawn, not text. */}
                <span aria-hidden="true" className={`ml-auto min-w-0 truncate pl-1 text-[11px] ${selected ? 'text-blue-900 dark:text-blue-100' : toneText[node.tone]}`}>
                  {node.states.map((state, i) => (
                    <Fragment key={state}>
                      {i > 0 ? ' ' : null}
                      <span className={i > 0 ? "before:mr-1 before:content-['·']" : undefined}>{state}</span>
                    </Fragment>
                  ))}
                </span>
              </>
            ) : null}
          </div>
        </div>
        {hasChildren && isOpen ? (
          <ul role="group">{node.children.map((c, i) => renderNode(c, level + 1, i + 1, node.children.length))}</ul>
        ) : null}
      </li>
    );
  };

  return (
    <ul role="tree" aria-label="Inventory" onKeyDown={onKeyDown} className="flex flex-col gap-px">
      {roots.map((n, i) => renderNode(n, 1, i + 1, roots.length))}
    </ul>
  );
}

/** The open/closed mark drawn, not typed: a text glyph would become part of the item's visible label. */
function Chevron({ open }: { open: boolean }) {
  return (
    <svg viewBox="0 0 10 10" className={`h-2.5 w-2.5 fill-current transition-transform motion-reduce:transition-none ${open ? 'rotate-90' : ''}`}>
      <path d="M3 1.5 7.5 5 3 8.5z" />
    </svg>
  );
}

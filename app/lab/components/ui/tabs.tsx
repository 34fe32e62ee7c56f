'use client';
// WAI-ARIA tabs (automatic activation): Left/Right move and select, Home/End jump; only the selected tab is in the
// tab order, and only the selected panel is mounted (panels like the guest console do work when shown).
import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface TabItem {
  id: string;
  label: ReactNode;
  content: ReactNode;
}

export interface TabsProps {
  label: string;
  tabs: TabItem[];
  /** Controlled selection (optional). */
  selectedId?: string;
  onSelect?: (id: string) => void;
  defaultSelectedId?: string;
}

export function Tabs({ label, tabs, selectedId, onSelect, defaultSelectedId }: TabsProps) {
  const base = useId();
  const [inner, setInner] = useState(defaultSelectedId ?? tabs[0]?.id);
  const current = tabs.some((t) => t.id === (selectedId ?? inner)) ? (selectedId ?? inner) : tabs[0]?.id;
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});

  const select = (id: string, focus: boolean) => {
    setInner(id);
    onSelect?.(id);
    if (focus) refs.current[id]?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    const i = tabs.findIndex((t) => t.id === current);
    let next = -1;
    if (e.key === 'ArrowRight') next = (i + 1) % tabs.length;
    else if (e.key === 'ArrowLeft') next = (i - 1 + tabs.length) % tabs.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    if (next < 0) return;
    e.preventDefault();
    const t = tabs[next];
    if (t) select(t.id, true);
  };

  const active = tabs.find((t) => t.id === current);
  return (
    <div>
      <div role="tablist" aria-label={label} className="flex gap-1 border-b border-slate-300 dark:border-slate-700">
        {tabs.map((t) => {
          const selected = t.id === current;
          return (
            <button
              key={t.id}
              ref={(el) => {
                refs.current[t.id] = el;
              }}
              type="button"
              role="tab"
              id={`${base}-tab-${t.id}`}
              aria-selected={selected}
              aria-controls={`${base}-panel-${t.id}`}
              tabIndex={selected ? 0 : -1}
              onClick={() => select(t.id, false)}
              onKeyDown={onKeyDown}
              className={`-mb-px border-b-2 px-3 py-1.5 text-sm font-medium ${
                selected
                  ? 'border-blue-700 text-blue-800 dark:border-blue-400 dark:text-blue-300'
                  : 'border-transparent text-slate-700 hover:text-slate-950 dark:text-slate-300 dark:hover:text-white'
              }`}
            >
              {t.label}
            </button>
          );
        })}
      </div>
      {active ? (
        <div
          role="tabpanel"
          id={`${base}-panel-${active.id}`}
          aria-labelledby={`${base}-tab-${active.id}`}
          tabIndex={0}
          className="pt-4"
        >
          {active.content}
        </div>
      ) : null}
    </div>
  );
}

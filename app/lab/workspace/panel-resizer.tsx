'use client';
// The handle between the object page and the event console: drag it, or focus it and use Up/Down (Home/End for
// the limits), to give either more room. A WAI-ARIA window splitter (role=separator with a value).
import type { KeyboardEvent, PointerEvent } from 'react';

export interface PanelResizerProps {
  /** Height of the panel below, in px. */
  value: number;
  min: number;
  max: number;
  onChange: (value: number) => void;
  label: string;
  controls: string;
}

const STEP = 32;

export function PanelResizer({ value, min, max, onChange, label, controls }: PanelResizerProps) {
  const clamp = (v: number) => Math.min(max, Math.max(min, v));

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const next =
      e.key === 'ArrowUp' ? value + STEP : e.key === 'ArrowDown' ? value - STEP : e.key === 'Home' ? max : e.key === 'End' ? min : null;
    if (next === null) return;
    e.preventDefault();
    onChange(clamp(next));
  };

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    const startY = e.clientY;
    const startValue = value;
    const target = e.currentTarget;
    target.setPointerCapture(e.pointerId);
    const move = (ev: globalThis.PointerEvent) => onChange(clamp(startValue + (startY - ev.clientY)));
    const up = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', up);
      target.removeEventListener('pointercancel', up);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', up);
    target.addEventListener('pointercancel', up);
  };

  return (
    <div
      role="separator"
      aria-orientation="horizontal"
      aria-label={label}
      aria-controls={controls}
      aria-valuemin={min}
      aria-valuemax={max}
      aria-valuenow={Math.round(value)}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
      className="group flex h-2 shrink-0 cursor-row-resize items-center justify-center border-t border-slate-300 bg-slate-100 hover:bg-slate-200 dark:border-slate-700 dark:bg-slate-800 dark:hover:bg-slate-700"
    >
      <span aria-hidden="true" className="h-0.5 w-10 rounded bg-slate-500 dark:bg-slate-400" />
    </div>
  );
}

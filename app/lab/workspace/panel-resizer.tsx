'use client';
// The handle that gives one panel more room: between the object page and the event console (horizontal: Up/Down),
// and at the edge of the side dock (vertical: Left/Right). Drag it, or focus it and use the arrows (Home/End for the
// limits). A WAI-ARIA window splitter (role=separator with a value).
import type { KeyboardEvent, PointerEvent } from 'react';

export interface PanelResizerProps {
  /** Size of the panel it resizes, in px: the height of one below it, the width of one right of it. */
  value: number;
  min: number;
  max: number;
  onChange: (value: number) => void;
  label: string;
  controls: string;
  orientation?: 'horizontal' | 'vertical';
}

const STEP = 32;

// The panel lies below or right of its handle: the key towards the handle's far side grows it, and so does a drag.
const AXES = {
  horizontal: {
    keys: { ArrowUp: STEP, ArrowDown: -STEP } as Record<string, number>,
    towardPanel: (e: { clientY: number }) => e.clientY,
    bar: 'group h-2 cursor-row-resize border-t',
    grip: 'h-0.5 w-10',
  },
  vertical: {
    keys: { ArrowLeft: STEP, ArrowRight: -STEP } as Record<string, number>,
    towardPanel: (e: { clientX: number }) => e.clientX,
    bar: 'w-2 cursor-col-resize border-l',
    grip: 'h-10 w-0.5',
  },
};

export function PanelResizer({ value, min, max, onChange, label, controls, orientation = 'horizontal' }: PanelResizerProps) {
  const axis = AXES[orientation];
  const clamp = (v: number) => Math.min(max, Math.max(min, v));

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = axis.keys[e.key];
    const next = step !== undefined ? value + step : e.key === 'Home' ? max : e.key === 'End' ? min : null;
    if (next === null) return;
    e.preventDefault();
    onChange(clamp(next));
  };

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    const start = axis.towardPanel(e);
    const startValue = value;
    const target = e.currentTarget;
    target.setPointerCapture(e.pointerId);
    const move = (ev: globalThis.PointerEvent) => onChange(clamp(startValue + (start - axis.towardPanel(ev))));
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
      aria-orientation={orientation}
      aria-label={label}
      aria-controls={controls}
      aria-valuemin={min}
      aria-valuemax={max}
      aria-valuenow={Math.round(value)}
      tabIndex={0}
      onKeyDown={onKeyDown}
      onPointerDown={onPointerDown}
      className={`flex shrink-0 items-center justify-center border-slate-300 bg-slate-100 hover:bg-slate-200 dark:border-slate-700 dark:bg-slate-800 dark:hover:bg-slate-700 ${axis.bar}`}
    >
      <span aria-hidden="true" className={`rounded bg-slate-500 dark:bg-slate-400 ${axis.grip}`} />
    </div>
  );
}

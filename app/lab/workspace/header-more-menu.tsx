'use client';
// The header's "More" button on a phone: a disclosure that holds the secondary controls (who is signed in, the theme,
// "Reset lab…") so the header keeps one row. Opening moves focus to its first control; Escape, a tap outside or
// focus leaving it closes it, and Escape gives focus back to the button. It hangs from the header (its positioned
// ancestor) at the right edge, wherever the button sits.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

const FOCUSABLE = 'select, button, a[href], input, textarea, [tabindex]:not([tabindex="-1"])';

export function HeaderMoreMenu({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const boxRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);

  // Opened, the learner is in it: on its first control (the user switch, or the theme when there is no vCenter).
  useEffect(() => {
    if (open) panelRef.current?.querySelector<HTMLElement>(FOCUSABLE)?.focus();
  }, [open]);

  // A tap or click anywhere else closes it (a confirmation dialog opened from it sits inside it, so it does not).
  useEffect(() => {
    if (!open) return;
    const onPointerDown = (e: PointerEvent) => {
      if (!boxRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open]);

  return (
    <div
      ref={boxRef}
      onKeyDown={(e) => {
        // Escape inside the Reset lab dialog is the dialog's own (it closes the dialog, not the menu under it).
        if (!open || e.key !== 'Escape' || (e.target as Element).closest('dialog')) return;
        e.preventDefault();
        setOpen(false);
        buttonRef.current?.focus();
      }}
      onBlur={(e) => {
        // Tabbing out of it closes it; focus going nowhere (the window losing focus) does not.
        const next = e.relatedTarget as Node | null;
        if (next && !e.currentTarget.contains(next)) setOpen(false);
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        className="inline-flex min-h-8 shrink-0 items-center gap-1 rounded border border-slate-400 bg-white px-2 py-1 text-xs font-medium text-slate-900 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700"
      >
        More
        <svg aria-hidden="true" viewBox="0 0 16 16" className={`h-2.5 w-2.5 fill-none stroke-current transition-transform ${open ? 'rotate-180' : ''}`} strokeWidth={2} strokeLinecap="round">
          <path d="M3 6l5 5 5-5" />
        </svg>
      </button>
      <div
        ref={panelRef}
        id={panelId}
        hidden={!open}
        className="absolute top-full right-2 z-40 mt-1 w-80 max-w-[calc(100vw-1rem)] rounded-lg border border-slate-300 bg-white p-3 shadow-xl dark:border-slate-600 dark:bg-slate-900"
      >
        {open ? <div className="flex flex-col items-start gap-3">{children}</div> : null}
      </div>
    </div>
  );
}

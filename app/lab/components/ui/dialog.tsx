'use client';
// An accessible modal on the native <dialog>: showModal() makes the page inert (focus stays inside), Escape closes,
// the title labels it, and focus returns to whatever opened it.
import { useEffect, useId, useRef, type ReactNode } from 'react';

export interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: string;
  /** Optional one-line description, read out when the dialog opens. */
  description?: ReactNode;
  children: ReactNode;
  /** Buttons row (e.g. Cancel / Confirm), placed at the bottom. */
  footer?: ReactNode;
  /** Width class, default max-w-lg. */
  widthClassName?: string;
}

export function Dialog({ open, onClose, title, description, children, footer, widthClassName = 'max-w-lg' }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descId = useId();
  const returnFocus = useRef<Element | null>(null);
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  }, [onClose]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (open && !el.open) {
      returnFocus.current = document.activeElement;
      el.showModal();
    } else if (!open && el.open) {
      el.close();
    }
  }, [open]);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onCancel = (e: Event) => {
      e.preventDefault();
      onCloseRef.current();
    };
    const onClosed = () => {
      const target = returnFocus.current;
      if (target instanceof HTMLElement && target.isConnected) target.focus();
    };
    el.addEventListener('cancel', onCancel);
    el.addEventListener('close', onClosed);
    return () => {
      el.removeEventListener('cancel', onCancel);
      el.removeEventListener('close', onClosed);
    };
  }, []);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descId : undefined}
      className={`m-auto w-[calc(100%-2rem)] ${widthClassName} rounded-lg border border-slate-300 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-950/60 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100`}
    >
      {open ? (
        <div className="flex max-h-[85vh] flex-col">
          <div className="flex items-start justify-between gap-4 border-b border-slate-200 px-5 py-3 dark:border-slate-700">
            <h2 id={titleId} className="text-base font-semibold">
              {title}
            </h2>
            <button
              type="button"
              onClick={onClose}
              className="rounded px-2 text-lg leading-none text-slate-700 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
              aria-label="Close"
            >
              ×
            </button>
          </div>
          <div className="overflow-y-auto px-5 py-4">
            {description ? (
              <p id={descId} className="mb-3 text-sm text-slate-700 dark:text-slate-300">
                {description}
              </p>
            ) : null}
            {children}
          </div>
          {footer ? (
            <div className="flex flex-wrap justify-end gap-2 border-t border-slate-200 px-5 py-3 dark:border-slate-700">
              {footer}
            </div>
          ) : null}
        </div>
      ) : null}
    </dialog>
  );
}

'use client';
// PowerShell's confirmation prompt inside the console ("Are you sure you want to perform this action?"), answered with
// its buttons or by typing Y, A, N or L, as in PowerShell.
import { useEffect, useRef } from 'react';
import type { ConfirmAnswer } from '@/machines/console/cmdlet';

const CHOICES: { key: string; label: string; answer: ConfirmAnswer }[] = [
  { key: 'Y', label: 'Yes', answer: 'yes' },
  { key: 'A', label: 'Yes to All', answer: 'yesToAll' },
  { key: 'N', label: 'No', answer: 'no' },
  { key: 'L', label: 'No to All', answer: 'noToAll' },
];

export function ConfirmPrompt({ message, onAnswer }: { message: string; onAnswer: (answer: ConfirmAnswer) => void }) {
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  return (
    <div
      role="group"
      aria-label="Confirm"
      className="my-1 rounded border border-amber-500/60 bg-amber-950/40 p-2"
      onKeyDown={(e) => {
        const choice = CHOICES.find((c) => c.key === e.key.toUpperCase());
        if (choice) {
          e.preventDefault();
          onAnswer(choice.answer);
        } else if (e.key === 'Escape') {
          e.preventDefault();
          onAnswer('no');
        }
      }}
    >
      <p className="font-semibold text-amber-200">Confirm</p>
      <p className="whitespace-pre-wrap text-slate-100">{message}</p>
      <div className="mt-1.5 flex flex-wrap gap-1.5">
        {CHOICES.map((c, i) => (
          <button
            key={c.key}
            ref={i === 0 ? first : undefined}
            type="button"
            onClick={() => onAnswer(c.answer)}
            className="rounded border border-slate-500 bg-slate-800 px-2 py-0.5 text-slate-100 hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-sky-400"
          >
            [{c.key}] {c.label}
          </button>
        ))}
      </div>
    </div>
  );
}

// A determinate progress bar that screen readers can read (role=progressbar with its value and label).
export interface ProgressBarProps {
  label: string;
  value: number;
  max: number;
  /** Text shown to the right, e.g. "1,024 of 4,096 sectors". Defaults to a percentage. */
  valueText?: string;
  tone?: 'info' | 'warning';
}

export function ProgressBar({ label, value, max, valueText, tone = 'info' }: ProgressBarProps) {
  const pct = max > 0 ? Math.min(100, Math.max(0, (value / max) * 100)) : 0;
  const text = valueText ?? `${Math.floor(pct)}%`;
  return (
    <div className="w-full">
      <div className="mb-1 flex justify-between gap-2 text-xs text-slate-700 dark:text-slate-300">
        <span>{label}</span>
        <span>{text}</span>
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={value}
        aria-valuetext={text}
        className="h-2.5 w-full overflow-hidden rounded-full bg-slate-200 dark:bg-slate-700"
      >
        <div
          className={`h-full rounded-full transition-[width] duration-200 ${tone === 'warning' ? 'bg-amber-600' : 'bg-blue-600 dark:bg-blue-400'}`}
          style={{ width: `${pct}%` }}
        />
      </div>
    </div>
  );
}

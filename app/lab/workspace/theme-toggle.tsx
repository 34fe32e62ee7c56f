'use client';
// Light/dark switch; the choice is remembered (localStorage) and applied before first paint on the next visit.
// A toggle button keeps one name ("Dark theme") and says its state with aria-pressed; the state shows as On/Off
// beside the name so the text never reads as if dark were off when it is on.
import { useTheme } from '../hooks/use-theme';

export function ThemeToggle() {
  const [theme, setTheme] = useTheme();
  const dark = theme === 'dark';
  return (
    <button
      type="button"
      aria-pressed={dark}
      onClick={() => setTheme(dark ? 'light' : 'dark')}
      className="inline-flex items-center gap-1 rounded border border-slate-400 bg-white px-2 py-1 text-xs font-medium text-slate-900 hover:bg-slate-100 dark:border-slate-500 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700"
    >
      <span aria-hidden="true">{dark ? '☾' : '☀'}</span> Dark theme{' '}
      <span
        aria-hidden="true"
        data-testid="theme-state"
        className={`rounded px-1 text-[10px] font-semibold uppercase ${dark ? 'bg-sky-300 text-slate-950' : 'bg-slate-200 text-slate-800'}`}
      >
        {dark ? 'On' : 'Off'}
      </span>
    </button>
  );
}

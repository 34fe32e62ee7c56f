// Colours and border styles of key chips: level decides the colour, form decides the border and fill.
import type { KeyForm, KeyLevel } from './key-map-model';

/**
 * Each level's colour, spelled out in full so Tailwind finds every class, chosen to keep 4.5:1 contrast in both
 * themes: `text` (text and border), `fill` (a plain, usable key), `tag` (the small level tag at the start of a chip),
 * `stroke` (the SVG connectors).
 */
export const LEVEL_LOOK: Record<KeyLevel, { text: string; fill: string; tag: string; stroke: string }> = {
  KDK: {
    text: 'text-violet-900 border-violet-600 dark:text-violet-100 dark:border-violet-400',
    fill: 'bg-violet-100 dark:bg-violet-950',
    tag: 'bg-violet-700 text-white dark:bg-violet-300 dark:text-violet-950',
    stroke: 'stroke-violet-600 dark:stroke-violet-400',
  },
  KEK: {
    text: 'text-amber-900 border-amber-600 dark:text-amber-100 dark:border-amber-400',
    fill: 'bg-amber-100 dark:bg-amber-950',
    tag: 'bg-amber-700 text-white dark:bg-amber-300 dark:text-amber-950',
    stroke: 'stroke-amber-600 dark:stroke-amber-400',
  },
  DEK: {
    text: 'text-teal-900 border-teal-600 dark:text-teal-100 dark:border-teal-400',
    fill: 'bg-teal-100 dark:bg-teal-950',
    tag: 'bg-teal-700 text-white dark:bg-teal-300 dark:text-teal-950',
    stroke: 'stroke-teal-600 dark:stroke-teal-400',
  },
};

export function formClasses(level: KeyLevel, form: KeyForm): string {
  switch (form) {
    case 'plain':
      return `border-2 border-solid ${LEVEL_LOOK[level].fill}`;
    case 'wrapped':
      return 'border-2 border-dashed bg-white dark:bg-slate-900';
    case 'key-id':
      return 'border border-dotted bg-transparent';
  }
}

// Colours and border styles of key chips: level decides the colour, form decides the border and fill.
import type { KeyForm, KeyLevel } from './key-map-model';

/** Text and border colour per level; chosen to keep 4.5:1 contrast in both themes. */
export const LEVEL_TEXT: Record<KeyLevel, string> = {
  KDK: 'text-violet-900 border-violet-600 dark:text-violet-100 dark:border-violet-400',
  KEK: 'text-amber-900 border-amber-600 dark:text-amber-100 dark:border-amber-400',
  DEK: 'text-teal-900 border-teal-600 dark:text-teal-100 dark:border-teal-400',
};

/** Filled background: a plain (usable) key. */
export const LEVEL_FILL: Record<KeyLevel, string> = {
  KDK: 'bg-violet-100 dark:bg-violet-950',
  KEK: 'bg-amber-100 dark:bg-amber-950',
  DEK: 'bg-teal-100 dark:bg-teal-950',
};

/** The small level tag at the start of a chip. */
export const LEVEL_TAG: Record<KeyLevel, string> = {
  KDK: 'bg-violet-700 text-white dark:bg-violet-300 dark:text-violet-950',
  KEK: 'bg-amber-700 text-white dark:bg-amber-300 dark:text-amber-950',
  DEK: 'bg-teal-700 text-white dark:bg-teal-300 dark:text-teal-950',
};

/** Line colour for the SVG connectors (stroke). */
export const LEVEL_STROKE: Record<KeyLevel, string> = {
  KDK: 'stroke-violet-600 dark:stroke-violet-400',
  KEK: 'stroke-amber-600 dark:stroke-amber-400',
  DEK: 'stroke-teal-600 dark:stroke-teal-400',
};

export function formClasses(level: KeyLevel, form: KeyForm): string {
  switch (form) {
    case 'plain':
      return `border-2 border-solid ${LEVEL_FILL[level]}`;
    case 'wrapped':
      return 'border-2 border-dashed bg-white dark:bg-slate-900';
    case 'key-id':
      return 'border border-dotted bg-transparent';
  }
}

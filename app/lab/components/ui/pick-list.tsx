// A list of things to open, the open one marked (aria-current) and highlighted: a datastore's folders and its files,
// a guest's files. Each list keeps its own button look; what is shared is the wiring and the highlight.
import type { ReactNode } from 'react';

const CURRENT = 'bg-blue-700 text-white dark:bg-sky-300 dark:text-slate-950';

export function PickList<T>(props: {
  items: T[];
  keyOf: (item: T) => string;
  /** The key of the open item, or null. */
  current: string | null;
  onPick: (item: T) => void;
  label?: string;
  buttonClassName: string;
  /** Added to an item's button when it is not the open one (its hover). */
  idleClassName: string;
  children: (item: T) => ReactNode;
}) {
  return (
    <ul aria-label={props.label} className="flex flex-col gap-0.5">
      {props.items.map((item) => {
        const key = props.keyOf(item);
        const current = key === props.current;
        return (
          <li key={key}>
            <button
              type="button"
              aria-current={current ? 'true' : undefined}
              onClick={() => props.onPick(item)}
              className={`${props.buttonClassName} ${current ? CURRENT : props.idleClassName}`}
            >
              {props.children(item)}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

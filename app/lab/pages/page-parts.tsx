// Building blocks every object page shares: its header, titled sections, a facts list and a small data table.
import { useId, type InputHTMLAttributes, type ReactNode } from 'react';
import { OutcomeSlot } from '../components/action-feedback/outcome-slot';
import { DefinitionList } from '../components/ui/definition-list';
import type { Route } from '../navigation';
import { TABLE_QUERY, useMediaQuery } from '../workspace/use-wide-layout';

/** What the workspace gives every object page; the lab and its view come from its LabProvider. */
export interface ObjectPageProps {
  id?: string;
  navigate: (route: Route) => void;
}

export function PageHeader(props: { kind: string; title: string; badges?: ReactNode; children?: ReactNode }) {
  return (
    <header className="mb-4 flex flex-col gap-1 border-b border-slate-300 pb-3 dark:border-slate-700">
      <p className="text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-400">{props.kind}</p>
      <div className="flex flex-wrap items-center gap-2">
        <h1 className="text-xl font-semibold text-slate-950 dark:text-white">{props.title}</h1>
        {props.badges}
      </div>
      {props.children ? <div className="text-sm text-slate-700 dark:text-slate-300">{props.children}</div> : null}
    </header>
  );
}

export function Section(props: { title: string; children: ReactNode; description?: ReactNode; id?: string }) {
  const headingId = props.id ?? `section-${props.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section aria-labelledby={headingId} className="mb-5">
      <h2 id={headingId} className="mb-1 text-base font-semibold text-slate-900 dark:text-slate-100">
        {props.title}
      </h2>
      {props.description ? <p className="mb-2 text-sm text-slate-700 dark:text-slate-300">{props.description}</p> : null}
      {props.children}
    </section>
  );
}

/** A row of action buttons; the outcome of the one just used shows on its own line beneath the row. */
export function ActionRow({ children, label }: { children: ReactNode; label: string }) {
  return (
    <div role="group" aria-label={label} className="flex flex-col items-start gap-1.5">
      <OutcomeSlot>
        <div className="flex max-w-full flex-wrap items-start gap-x-2 gap-y-2">{children}</div>
      </OutcomeSlot>
    </div>
  );
}

/** Label/value pairs; two pairs per row on a wide page so a summary fits above the fold at 1280x720. */
export function Facts({ items }: { items: [label: string, value: ReactNode][] }) {
  return (
    <DefinitionList
      items={items}
      className="grid grid-cols-[minmax(9rem,max-content)_minmax(0,1fr)] gap-x-4 gap-y-1 text-sm lg:grid-cols-[max-content_minmax(0,1fr)_max-content_minmax(0,1fr)]"
      termClassName="text-slate-600 dark:text-slate-400"
      valueClassName="min-w-0 break-words text-slate-900 dark:text-slate-100"
    />
  );
}

export function DataTable(props: { caption: string; headers: string[]; rows: ReactNode[][]; empty: string }) {
  const roomy = useMediaQuery(TABLE_QUERY);
  if (props.rows.length === 0) return <p className="text-sm text-slate-700 dark:text-slate-300">{props.empty}</p>;
  // A phone has no room for columns: each row becomes a card of label/value pairs (no sideways scrolling).
  if (!roomy) {
    return (
      <ul aria-label={props.caption} className="flex flex-col gap-2">
        {props.rows.map((row, i) => (
          <li key={i} className="rounded border border-slate-300 p-2 dark:border-slate-700">
            <dl className="grid grid-cols-[minmax(5rem,max-content)_minmax(0,1fr)] gap-x-3 gap-y-1 text-sm">
              {row.map((cell, j) => {
                // An action column needs no visible label on a card: its button says what it does.
                const header = props.headers[j] || 'Action';
                const action = header === 'Action';
                return (
                  <div key={j} className="contents">
                    <dt className={action ? 'sr-only' : 'text-slate-600 dark:text-slate-400'}>{header}</dt>
                    <dd className={`min-w-0 break-words text-slate-900 dark:text-slate-100 ${action ? 'col-span-2' : ''}`}>{cell}</dd>
                  </div>
                );
              })}
            </dl>
          </li>
        ))}
      </ul>
    );
  }
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse text-left text-sm">
        <caption className="sr-only">{props.caption}</caption>
        <thead>
          <tr className="border-b border-slate-300 dark:border-slate-600">
            {props.headers.map((h) => (
              <th key={h} scope="col" className="px-2 py-1 font-semibold text-slate-700 dark:text-slate-300">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row, i) => (
            <tr key={i} className="border-b border-slate-200 align-top dark:border-slate-800">
              {row.map((cell, j) => (
                <td key={j} className="px-2 py-1 text-slate-900 dark:text-slate-100">
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A link-styled button that moves the workspace to another object (hash routes, so Back works). */
export function ObjectLink(props: { route: Route; navigate: (route: Route) => void; children: ReactNode }) {
  return (
    <button
      type="button"
      onClick={() => props.navigate(props.route)}
      className="rounded text-blue-800 underline underline-offset-2 hover:text-blue-950 dark:text-sky-300 dark:hover:text-sky-200"
    >
      {props.children}
    </button>
  );
}

/** Objects as links separated by commas, each with an optional note after it; "none" when there are none. */
export function ObjectLinks(props: { links: { id: string; route: Route; name: string; note?: string }[]; navigate: (route: Route) => void }) {
  if (props.links.length === 0) return 'none';
  return props.links.map((link, i) => (
    <span key={link.id}>
      {i > 0 ? ', ' : ''}
      <ObjectLink route={link.route} navigate={props.navigate}>
        {link.name}
      </ObjectLink>
      {link.note ? ` ${link.note}` : null}
    </span>
  ));
}

export function Mono({ children }: { children: ReactNode }) {
  return <code className="font-mono text-xs break-all">{children}</code>;
}

export function NotFound({ what, id }: { what: string; id?: string }) {
  return (
    <div role="alert" className="rounded border border-amber-400 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-600 dark:bg-amber-950 dark:text-amber-100">
      There is no {what} {id ? `“${id}”` : ''} in this lab. Choose another object in the inventory.
    </div>
  );
}

/** Shared form field styles, so every input looks and focuses alike. */
export const INPUT_CLASS =
  'rounded border border-slate-400 bg-white px-2 py-1 text-sm text-slate-900 dark:border-slate-500 dark:bg-slate-900 dark:text-slate-100';
export const LABEL_CLASS = 'text-sm font-medium text-slate-800 dark:text-slate-200';

/**
 * A small labelled select that sits inline in an action row. `first` is an extra leading choice with value ""
 * (e.g. "Default" or "No connected host"); omit it when every choice is one of `options`.
 */
export function InlineSelect(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
  first?: string;
}) {
  const id = useId();
  return (
    <div className="flex min-w-0 max-w-full flex-wrap items-center gap-x-1.5 gap-y-0.5">
      <label htmlFor={id} className={`${LABEL_CLASS} text-xs`}>
        {props.label}
      </label>
      <select id={id} className={`${INPUT_CLASS} max-w-full min-w-0 py-0.5 text-xs`} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.first !== undefined ? <option value="">{props.first}</option> : null}
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A labelled text input stacked over anything that explains it (a hint, a mismatch warning). */
export function TextField({
  label,
  value,
  onChange,
  children,
  ...input
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'className' | 'value' | 'onChange' | 'children'> & {
  label: string;
  value: string;
  onChange: (value: string) => void;
  children?: ReactNode;
}) {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className={LABEL_CLASS}>
        {label}
      </label>
      <input {...input} id={id} className={INPUT_CLASS} value={value} onChange={(e) => onChange(e.target.value)} />
      {children}
    </div>
  );
}

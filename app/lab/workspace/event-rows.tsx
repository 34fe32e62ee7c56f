// The event console's rows: a seven-column table where there is room, one card per event on a narrow screen. Both
// show an event's type the same way, its object as a link to the object's page, and, where the lab can go back,
// "Go back to here" on every event something was done after.
import { Fragment } from 'react';
import type { LabEvent, Severity } from '@/machines/lab-types';
import type { GoBackPoint } from '@/machines/session/rewind-points';
import { formatLabTime } from '../format';
import type { Route } from '../navigation';
import type { DirectoryEntry } from './object-directory';

export interface EventRowsProps {
  events: LabEvent[];
  directory: Map<string, DirectoryEntry>;
  navigate: (route: Route) => void;
  /** Where the lab can go back: where an event's "Go back to here" goes (null: nowhere), and the ask. */
  goBack?: { pointOf: (eventId: number) => GoBackPoint | null; ask: (event: LabEvent, point: GoBackPoint) => void } | null;
}

const severityText: Record<Severity, string> = {
  info: 'text-slate-700 dark:text-slate-300',
  warning: 'text-amber-800 dark:text-amber-300',
  error: 'text-red-700 dark:text-red-300',
};

const COLUMNS = ['Time', 'User', 'Event type', 'Object', 'Key ID', 'Operation', 'Message'];

export function EventTable({ events, directory, navigate, goBack }: EventRowsProps) {
  return (
    <table className="w-full border-collapse text-left text-xs">
      <caption className="sr-only">Events, newest first</caption>
      <thead className="sticky top-0 z-10 bg-slate-100 dark:bg-slate-800">
        <tr>
          {goBack ? (
            <th scope="col" className="px-2 py-1">
              <span className="sr-only">Go back</span>
            </th>
          ) : null}
          {COLUMNS.map((h) => (
            <th key={h} scope="col" className="px-2 py-1 font-semibold whitespace-nowrap text-slate-800 dark:text-slate-200">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.id} data-testid="event-row" className="border-t border-slate-200 align-top dark:border-slate-800">
            {goBack ? (
              <td className="px-2 py-0.5 whitespace-nowrap">
                <GoBackButton event={e} goBack={goBack} />
              </td>
            ) : null}
            <td className="px-2 py-0.5 font-mono whitespace-nowrap tabular-nums">{formatLabTime(e.time)}</td>
            <td className="px-2 py-0.5 whitespace-nowrap">{e.user}</td>
            <td className={`px-2 py-0.5 font-mono ${severityText[e.severity]}`}>
              <EventType event={e} />
            </td>
            <td className="px-2 py-0.5 whitespace-nowrap">
              <EventObject
                objectId={e.objectId}
                directory={directory}
                navigate={navigate}
                linkClassName="hover:text-blue-950 dark:hover:text-sky-200"
              />
            </td>
            <td className="max-w-40 px-2 py-0.5 font-mono break-all" title={e.keyId ?? undefined}>
              {e.keyId ?? ''}
            </td>
            <td className="px-2 py-0.5 whitespace-nowrap">{e.operation ?? ''}</td>
            <td className="min-w-64 px-2 py-0.5 text-slate-900 dark:text-slate-100">{e.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Narrow screens: one card per event (time, type, message, then who, what and which key), no sideways scrolling. */
export function EventCards({ events, directory, navigate, goBack }: EventRowsProps) {
  return (
    <ol aria-label="Events, newest first" className="divide-y divide-slate-200 text-xs dark:divide-slate-800">
      {events.map((e) => (
        <li key={e.id} data-testid="event-row" className="flex flex-col gap-0.5 px-3 py-1.5">
          <p className="flex flex-wrap gap-x-2">
            <span className="font-mono tabular-nums">{formatLabTime(e.time)}</span>
            <span className={`min-w-0 font-mono break-words ${severityText[e.severity]}`}>
              <EventType event={e} />
            </span>
          </p>
          <p className="text-slate-900 dark:text-slate-100">{e.message}</p>
          <p className="flex flex-wrap gap-x-3 text-slate-700 dark:text-slate-300">
            <span>{e.user}</span>
            <EventObject objectId={e.objectId} directory={directory} navigate={navigate} />
            {e.operation ? <span>{e.operation}</span> : null}
            {e.keyId ? <span className="font-mono break-all">key {e.keyId}</span> : null}
          </p>
          {goBack ? <GoBackButton event={e} goBack={goBack} /> : null}
        </li>
      ))}
    </ol>
  );
}

/** "Go back to here" on an event something was done after; nothing on the others. */
function GoBackButton({ event, goBack }: { event: LabEvent; goBack: NonNullable<EventRowsProps['goBack']> }) {
  const point = goBack.pointOf(event.id);
  if (point === null) return null;
  return (
    <button
      type="button"
      onClick={() => goBack.ask(event, point)}
      className="self-start rounded px-1 text-blue-800 underline underline-offset-2 hover:bg-slate-100 hover:text-blue-950 dark:text-sky-300 dark:hover:bg-slate-800 dark:hover:text-sky-200"
    >
      <span aria-hidden="true">↶ </span>Go back to here<span className="sr-only">: {formatLabTime(event.time)}, {event.message}</span>
    </button>
  );
}

/** The event's object: a link to its page when it has one, else its name (or bare ID); nothing when there is none. */
function EventObject(props: Omit<EventRowsProps, 'events'> & { objectId?: string | null; linkClassName?: string }) {
  const obj = props.objectId ? props.directory.get(props.objectId) : undefined;
  if (obj?.route) {
    const route = obj.route;
    return (
      <button
        type="button"
        onClick={() => props.navigate(route)}
        className={`rounded text-blue-800 underline underline-offset-2 dark:text-sky-300 ${props.linkClassName ?? ''}`}
      >
        {obj.name}
      </button>
    );
  }
  const name = obj?.name ?? props.objectId;
  return name ? <span>{name}</span> : null;
}

/** The event type, its severity said first to a screen reader when it is not plain information. */
function EventType({ event }: { event: LabEvent }) {
  return (
    <>
      {event.severity !== 'info' ? <span className="sr-only">{event.severity}: </span> : null}
      <DottedName name={event.eventTypeId} />
    </>
  );
}

/** A dotted event id that may wrap only after its dots (com.vmware.vc.…), never inside a word. */
function DottedName({ name }: { name: string }) {
  const parts = name.split('.');
  return parts.map((part, i) => (
    <Fragment key={i}>
      {part}
      {i < parts.length - 1 ? (
        <>
          .<wbr />
        </>
      ) : null}
    </Fragment>
  ));
}

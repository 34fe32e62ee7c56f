'use client';
// The event console: vCenter's events and the lab's own (newest first) with user, event type, object, key ID and
// operation, filterable by text and severity, exportable as CSV or JSON (what the filter shows). It can be folded away
// to give the object page more room; on a narrow screen it starts folded and opens as a sheet over the page, its rows
// as cards instead of a seven-column table. Where the session can go back (the sandbox), each event something was done
// after offers "Go back to here", which asks first (go-back-dialog.tsx).
import { useDeferredValue, useId, useMemo, useRef, useState } from 'react';
import type { JournalView, LabEvent, LabView } from '@/machines/lab-types';
import { goBackBlocker, goBackPointAt, outsideRestoreIn } from '@/machines/session/rewind-points';
import { describeJournalOp } from '@/machines/view/journal-words';
import type { Route } from '../navigation';
import { useLabSelector } from '../hooks/lab-context';
import { sameData } from '../hooks/lab-selection';
import { useStoredNumber } from '../hooks/use-stored-number';
import { downloadBytes } from '../pages/providers/download';
import { exportRows, toCsv, toJson } from './event-export';
import { EventCards, EventTable, type EventRowsProps } from './event-rows';
import { GoBackDialog, type GoBackTarget } from './go-back-dialog';
import { objectDirectory } from './object-directory';
import { PanelResizer } from './panel-resizer';
import { journalOf, sameJournal, useRewind } from './rewind-context';

const MAX_ROWS = 300;

// The view keeps the root actor's event list as it is until an event is added: compared by identity.
const eventsOf = (view: LabView) => view.events;
const labIdOf = (view: LabView) => view.labId;
const MIN_LIST_PX = 64;
const DEFAULT_LIST_PX = 144;

type SeverityFilter = 'all' | 'warning' | 'error';

function matches(e: LabEvent, needle: string, objectName: string): boolean {
  if (!needle) return true;
  return [e.eventTypeId, e.user, e.keyId ?? '', e.operation ?? '', e.message, objectName, e.objectId ?? '']
    .some((s) => s.toLowerCase().includes(needle));
}

/** Why no event (or none after some step) offers "Go back to here", in one line; null when every one can. */
function goBackNote(journal: JournalView, nameOf: (id: string) => string | undefined): string | null {
  if (journal.notReplayable) return `Go back to here is not offered: ${journal.notReplayable}`;
  const outside = outsideRestoreIn(journal.entries);
  if (!outside) return null;
  return `Go back to here is offered only before step ${outside.seq} (${describeJournalOp(outside.op, nameOf)}): the lab cannot restore a file from outside it again by itself.`;
}

/** Re-renders for new events and renamed objects, not for every change of the lab. */
export function EventConsole({ navigate, wide = true }: { navigate: (route: Route) => void; wide?: boolean }) {
  const events = useLabSelector(eventsOf);
  const labId = useLabSelector(labIdOf);
  const directory = useLabSelector(objectDirectory, sameData);
  const [open, setOpen] = useState(wide);
  // Crossing the layout's edge (a window resized, a tablet turned): open where there is room, folded where it would
  // cover the page.
  const [openFor, setOpenFor] = useState(wide);
  if (openFor !== wide) {
    setOpenFor(wide);
    setOpen(wide);
  }
  const [listHeight, setListHeight] = useStoredNumber('keylab-event-console-height', DEFAULT_LIST_PX);
  // The object page keeps at least about 240 px whatever the window's height.
  const maxListHeight = Math.max(MIN_LIST_PX, (typeof window === 'undefined' ? 720 : window.innerHeight) - 340);
  const shownHeight = Math.min(listHeight, maxListHeight);
  const [text, setText] = useState('');
  const [severity, setSeverity] = useState<SeverityFilter>('all');
  const filterId = useId();
  const severityId = useId();
  const panelId = useId();
  const needle = useDeferredValue(text.trim().toLowerCase());
  const rewind = useRewind();
  const journal = useLabSelector(journalOf, sameJournal);
  const [goBackTarget, setGoBackTarget] = useState<GoBackTarget | null>(null);
  const nameOf = (id: string) => directory.get(id)?.name;
  const goBack = useMemo<EventRowsProps['goBack']>(() => {
    if (!rewind || journal.notReplayable) return null;
    return {
      pointOf: (eventId) => {
        const point = goBackPointAt(journal.entries, events.at(-1)?.id ?? 0, eventId);
        if (!point || goBackBlocker(journal.entries, point.toSeq)) return null;
        const keepable = point.keepingQuiet !== null && goBackBlocker(journal.entries, point.keepingQuiet) === null;
        return keepable ? point : { ...point, keepingQuiet: null };
      },
      ask: (event, point) => setGoBackTarget({ event, point }),
    };
  }, [rewind, journal, events]);
  const note = rewind ? goBackNote(journal, nameOf) : null;

  const rows = useMemo(() => {
    const wanted = (e: LabEvent) =>
      severity === 'all' || e.severity === 'error' || (severity === 'warning' && e.severity === 'warning');
    return [...events]
      .sort((a, b) => b.time - a.time || b.id - a.id)
      .filter((e) => wanted(e) && matches(e, needle, (e.objectId && directory.get(e.objectId)?.name) || ''));
  }, [events, severity, needle, directory]);
  const shown = rows.slice(0, MAX_ROWS);
  const download = (format: 'csv' | 'json') => {
    const data = exportRows(rows, (id) => directory.get(id)?.name);
    const text = format === 'csv' ? toCsv(data) : toJson(data);
    const type = format === 'csv' ? 'text/csv;charset=utf-8' : 'application/json';
    downloadBytes(new TextEncoder().encode(text), `keylab-events-${labId}.${format}`, type);
  };
  const sheet = !wide && open;
  const toggleRef = useRef<HTMLButtonElement>(null);

  return (
    <section
      aria-labelledby={`${panelId}-title`}
      onKeyDown={(e) => {
        // A sheet over the page closes with Escape, focus back on its toggle.
        if (sheet && e.key === 'Escape') {
          e.preventDefault();
          setOpen(false);
          toggleRef.current?.focus();
        }
      }}
      className={
        sheet
          ? 'fixed inset-x-0 bottom-0 z-30 flex max-h-[70vh] flex-col rounded-t-lg border-t border-slate-300 bg-white shadow-[0_-8px_24px_rgb(0_0_0/0.25)] dark:border-slate-600 dark:bg-slate-900'
          : 'flex shrink-0 flex-col bg-white dark:bg-slate-900'
      }
    >
      {open && wide ? (
        <PanelResizer
          label="Resize the event list"
          controls={panelId}
          value={shownHeight}
          min={MIN_LIST_PX}
          max={maxListHeight}
          onChange={setListHeight}
        />
      ) : (
        <div className="border-t border-slate-300 dark:border-slate-700" />
      )}
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-1">
        <button
          type="button"
          aria-expanded={open}
          aria-controls={panelId}
          ref={toggleRef}
          onClick={() => setOpen((o) => !o)}
          className="inline-flex items-center gap-1 rounded px-1 text-sm font-semibold text-slate-900 hover:bg-slate-100 dark:text-slate-100 dark:hover:bg-slate-800"
        >
          <span aria-hidden="true">{open ? '▾' : wide ? '▸' : '▴'}</span>{' '}
          <span id={`${panelId}-title`}>Events</span>
        </button>
        <span className="text-xs text-slate-600 dark:text-slate-400" aria-live="polite" data-testid="event-count">
          {rows.length === events.length
            ? `${events.length} ${events.length === 1 ? 'event' : 'events'}`
            : `${rows.length} of ${events.length} events`}
        </span>
        {open ? (
          <>
            <label htmlFor={filterId} className="text-xs text-slate-700 sm:ml-auto dark:text-slate-300">
              Filter
            </label>
            <input
              id={filterId}
              type="search"
              value={text}
              onChange={(e) => setText(e.target.value)}
              placeholder="user, key ID, event type…"
              className="w-40 min-w-0 flex-1 rounded border border-slate-400 bg-white px-2 py-0.5 text-sm sm:w-56 sm:flex-none text-slate-900 placeholder:text-slate-600 dark:border-slate-500 dark:bg-slate-950 dark:text-slate-100 dark:placeholder:text-slate-400"
            />
            <label htmlFor={severityId} className="text-xs text-slate-700 dark:text-slate-300">
              Severity
            </label>
            <select
              id={severityId}
              value={severity}
              onChange={(e) => setSeverity(e.target.value as SeverityFilter)}
              className="rounded border border-slate-400 bg-white px-1 py-0.5 text-sm text-slate-900 dark:border-slate-500 dark:bg-slate-950 dark:text-slate-100"
            >
              <option value="all">All</option>
              <option value="warning">Warnings and errors</option>
              <option value="error">Errors</option>
            </select>
            <div role="group" aria-label="Export the events shown" className="flex items-center gap-1">
              {(['csv', 'json'] as const).map((format) => (
                <button
                  key={format}
                  type="button"
                  onClick={() => download(format)}
                  disabled={rows.length === 0}
                  title={`Download the ${rows.length} ${rows.length === 1 ? 'event' : 'events'} the filter shows`}
                  className="rounded border border-slate-400 bg-white px-1.5 py-0.5 text-xs font-medium text-slate-900 hover:bg-slate-100 disabled:opacity-60 dark:border-slate-500 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700"
                >
                  Export {format.toUpperCase()}
                </button>
              ))}
            </div>
          </>
        ) : null}
      </div>
      {open && note ? <p className="px-3 pb-1 text-xs text-slate-700 dark:text-slate-300" data-testid="go-back-note">{note}</p> : null}
      {open ? (
        <div
          id={panelId}
          role="region"
          aria-label="Event list"
          tabIndex={0}
          style={wide ? { height: shownHeight } : undefined}
          className={`overflow-auto border-t border-slate-200 dark:border-slate-800 ${wide ? '' : 'min-h-0 flex-1'}`}>
          {shown.length === 0 ? (
            <p className="p-3 text-sm text-slate-700 dark:text-slate-300">
              {events.length === 0 ? 'No events yet.' : 'No event matches the filter.'}
            </p>
          ) : !wide ? (
            <EventCards events={shown} directory={directory} navigate={navigate} goBack={goBack} />
          ) : (
            <EventTable events={shown} directory={directory} navigate={navigate} goBack={goBack} />
          )}
          {rows.length > MAX_ROWS ? (
            <p className="p-2 text-xs text-slate-700 dark:text-slate-300">
              Showing the newest {MAX_ROWS} of {rows.length}; narrow the filter to see older ones.
            </p>
          ) : null}
        </div>
      ) : null}
      {rewind ? (
        <GoBackDialog
          target={goBackTarget}
          entries={journal.entries}
          redo={journal.redo}
          nameOf={nameOf}
          onClose={() => setGoBackTarget(null)}
          onConfirm={(toSeq) => {
            setGoBackTarget(null);
            rewind.goBack(toSeq);
          }}
        />
      ) : null}
    </section>
  );
}

// The event console's rows as files an administrator hands to an auditor: CSV (one event a line, RFC 4180 quoting)
// and JSON (the same fields, typed). Pure functions of the rows the console shows: the file says what the screen does.
import type { LabEvent } from '@/machines/lab-types';
import { formatLabTime } from '../format';

export interface ExportRow {
  labTime: string;
  labTimeMs: number;
  user: string;
  eventTypeId: string;
  severity: LabEvent['severity'];
  object: string;
  objectId: string | null;
  keyId: string | null;
  operation: string | null;
  message: string;
}

export function exportRows(events: LabEvent[], objectName: (id: string) => string | undefined): ExportRow[] {
  return events.map((e) => ({
    labTime: formatLabTime(e.time),
    labTimeMs: e.time,
    user: e.user,
    eventTypeId: e.eventTypeId,
    severity: e.severity,
    object: (e.objectId && objectName(e.objectId)) || e.objectId || '',
    objectId: e.objectId,
    keyId: e.keyId,
    operation: e.operation,
    message: e.message,
  }));
}

const COLUMNS: [keyof ExportRow, string][] = [
  ['labTime', 'Lab time'],
  ['user', 'User'],
  ['eventTypeId', 'Event type'],
  ['severity', 'Severity'],
  ['object', 'Object'],
  ['keyId', 'Key ID'],
  ['operation', 'Operation'],
  ['message', 'Message'],
];

function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  // A cell a spreadsheet would run as a formula is kept as text.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(rows: ExportRow[]): string {
  const lines = [COLUMNS.map(([, title]) => csvCell(title)).join(',')];
  for (const row of rows) lines.push(COLUMNS.map(([key]) => csvCell(row[key])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function toJson(rows: ExportRow[]): string {
  return `${JSON.stringify(rows, null, 2)}\n`;
}

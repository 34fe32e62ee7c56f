// Out-Default: how the console prints what a statement outputs, as PowerShell formats it. Lab objects get a default
// table (or list) view per type, as PowerCLI's format files give them; other objects a table of up to four properties
// or a list; strings and numbers one per line. Format-Table and Format-List use the same layout.
import { isFormatted, PsObject, toPsString } from './ps-values';

export interface Column {
  label: string;
  value: (o: PsObject) => unknown;
  align?: 'left' | 'right';
}

const prop = (name: string, label = name, align?: 'left' | 'right'): Column => ({ label, value: (o) => o.get(name), align });

/** The default views, by the lab's type names (PowerCLI's columns where the lab has the field). */
const TABLE_VIEWS: Record<string, Column[]> = {
  VirtualMachine: [prop('Name'), prop('PowerState'), prop('VMHost'), prop('Encrypted'), prop('KeyProvider'), prop('Locked')],
  VMHost: [prop('Name'), prop('ConnectionState'), prop('PowerState'), prop('CryptoState'), prop('TpmPresent')],
  Datastore: [prop('Name'), prop('CapacityGB', 'CapacityGB', 'right'), prop('VMFolders', 'VM folders', 'right')],
  Cluster: [prop('Name'), prop('Datacenter'), prop('VMHostCount', 'VMHosts', 'right')],
  KeyProvider: [prop('Name'), prop('Type'), prop('Status'), prop('DefaultForSystem'), prop('Health')],
  KeyManagementServer: [prop('Name'), prop('Address'), prop('Port', 'Port', 'right'), prop('KeyProvider'), prop('Status')],
  Snapshot: [prop('Name'), prop('VM'), prop('Description')],
  Task: [prop('Name'), prop('State'), prop('PercentComplete', '% Complete', 'right'), prop('StartTime', 'Start Time'), prop('FinishTime', 'Finish Time')],
  VIEvent: [prop('CreatedTime'), prop('UserName'), prop('FullFormattedMessage')],
  VIServer: [prop('Name'), prop('Port', 'Port', 'right'), prop('User')],
  FileInfo: [prop('Length', 'Length', 'right'), prop('Name'), prop('FullName')],
  Hashtable: [prop('Name'), prop('Value')],
  CommandInfo: [prop('CommandType'), prop('Name'), prop('Version'), prop('Source')],
  VTpm: [prop('Name'), prop('VM')],
};
const LIST_VIEWS = new Set(['GenericMeasureInfo', 'VMEncryptionInfo']);

export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return `{${value.map(formatValue).join(', ')}}`;
  if (value instanceof Uint8Array) return `{${value.length} bytes}`;
  if (value instanceof PsObject && value.typeName === 'Hashtable') return `{${value.names().join(', ')}}`;
  return toPsString(value);
}

function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  return align === 'right' ? text.padStart(width) : text.padEnd(width);
}

export function formatTable(items: PsObject[], columns: Column[], width = 120): string {
  const cells = items.map((o) => columns.map((c) => formatValue(c.value(o)).replace(/\r?\n/g, ' ')));
  const aligns = columns.map((c, i) => c.align ?? (items.length > 0 && items.every((o) => typeof c.value(o) === 'number') && i >= 0 ? 'right' : 'left'));
  const widths = columns.map((c, i) => Math.min(60, Math.max(c.label.length, ...cells.map((row) => row[i]!.length))));
  // The last column takes what is left of the line, as PowerShell does for the console's width.
  const used = widths.slice(0, -1).reduce((a, b) => a + b + 1, 0);
  const lastIndex = widths.length - 1;
  widths[lastIndex] = Math.max(columns[lastIndex]!.label.length, Math.min(Math.max(...cells.map((r) => r[lastIndex]!.length), columns[lastIndex]!.label.length), width - used - 1));
  const fit = (text: string, w: number) => (text.length > w ? `${text.slice(0, Math.max(0, w - 3))}...` : text);
  const line = (row: string[]) =>
    row
      .map((cell, i) => pad(fit(cell, widths[i]!), widths[i]!, aligns[i]))
      .join(' ')
      .trimEnd();
  const header = line(columns.map((c) => c.label));
  const dashes = columns
    .map((c, i) => pad('-'.repeat(Math.min(c.label.length, widths[i]!)), widths[i]!, aligns[i]))
    .join(' ')
    .trimEnd();
  return ['', header, dashes, ...cells.map(line), ''].join('\n');
}

export function formatList(items: PsObject[], names?: string[]): string {
  const blocks = items.map((o) => {
    const props = names ?? o.names();
    const labelWidth = Math.max(...props.map((p) => (o.nameOf(p) ?? p).length));
    return props.map((p) => `${pad(o.nameOf(p) ?? p, labelWidth)} : ${formatValue(o.get(p))}`).join('\n');
  });
  return ['', ...blocks.flatMap((b) => [b, '']), ''].join('\n').replace(/\n{3,}$/, '\n\n');
}

export function columnsFor(sample: PsObject): Column[] {
  return TABLE_VIEWS[sample.typeName] ?? sample.names().slice(0, 10).map((n) => prop(n));
}

/** How PowerShell shows these objects without Format-*: the type's view, else a table of up to 4 properties, else a list. */
function formatGroup(items: PsObject[], width: number): string {
  const sample = items[0]!;
  if (LIST_VIEWS.has(sample.typeName)) return formatList(items);
  const view = TABLE_VIEWS[sample.typeName];
  if (view) return formatTable(items, view, width);
  if (sample.names().length <= 4) return formatTable(items, sample.names().map((n) => prop(n)), width);
  return formatList(items);
}

export function outDefault(values: unknown[], width = 120): string {
  const parts: string[] = [];
  let group: PsObject[] = [];
  const flush = () => {
    if (group.length) parts.push(formatGroup(group, width));
    group = [];
  };
  for (const value of values.flatMap((v) => (Array.isArray(v) ? v : [v]))) {
    if (value instanceof PsObject) {
      if (group.length && group[0]!.typeName !== value.typeName) flush();
      group.push(value);
      continue;
    }
    flush();
    if (isFormatted(value)) parts.push(value.text);
    else if (value instanceof Uint8Array) parts.push(`System.Byte[] (${value.length} bytes)`);
    else if (value !== null && value !== undefined) parts.push(toPsString(value));
  }
  flush();
  return parts.join('\n');
}

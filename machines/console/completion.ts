// Tab completion for the console: cmdlet names in command position, parameter names after "-" (the cmdlet's own),
// variables after "$", and object names (VMs, hosts, key providers, datastores, files) where a cmdlet's parameter
// takes them. Pure: reads the console's cmdlets, variables and files and the lab's view.
import { allParams } from './binder';
import type { CmdletDef } from './cmdlet';
import { psArg } from './as-powercli';
import type { PowerCliConsole } from './powercli-console';

export interface Completion {
  /** The part of the line the candidates replace. */
  start: number;
  end: number;
  candidates: string[];
}

const BREAKS = new Set([' ', '\t', '|', ';', '(', '{', ',', '\n']);

/** Object names a parameter takes, by the parameter's (or, positionally, the cmdlet noun's) kind. */
function namesFor(c: PowerCliConsole, def: CmdletDef, param: string | null): string[] {
  const view = c.lab.getView();
  const key = (param ?? def.params.find((p) => p.position === 0)?.name ?? '').toLowerCase();
  const noun = def.name.split('-')[1]?.toLowerCase() ?? '';
  const vms = view.vms.filter((v) => v.registered).map((v) => v.name);
  const hosts = view.hosts.map((h) => h.name);
  const providers = view.vcenter?.keyProviders.map((p) => p.name) ?? [];
  if (key === 'vm' || (key === 'name' && noun === 'vm') || key === 'entity') return vms;
  if (key === 'vmhost' || key === 'destination' || key === 'location' || (key === 'name' && noun === 'vmhost') || (key === 'name' && def.name === 'Add-VMHost')) return hosts;
  if (key === 'keyprovider' || key === 'kmsclusterid' || key === 'kmscluster' || (key === 'name' && noun === 'keyprovider')) return providers;
  if (key === 'name' && noun === 'datastore') return view.datastores.map((d) => d.name);
  if (key === 'vmfilepath') return view.datastores.flatMap((d) => d.folders.map((f) => `[${d.name}] ${f}/${f}.vmx`));
  if (key === 'filepath') return [...c.session.files.values()].map((f) => f.path);
  if (key === 'server') return [...(view.vcenter ? [view.vcenter.name] : []), ...hosts];
  if (key === 'user') return view.vcenter?.users.map((u) => u.name) ?? [];
  if (key === 'name' && (def.name === 'Get-Help' || def.name === 'Get-Command')) return c.commands().map((d) => d.name);
  return [];
}

export function complete(c: PowerCliConsole, line: string, cursor = line.length): Completion {
  let start = cursor;
  while (start > 0 && !BREAKS.has(line[start - 1]!)) start--;
  const word = line.slice(start, cursor);
  const lower = word.toLowerCase();
  const none = { start, end: cursor, candidates: [] };
  // The pipeline element the word is in: its first word names the cmdlet.
  let elementStart = start;
  while (elementStart > 0 && !['|', ';', '{', '(', '\n'].includes(line[elementStart - 1]!)) elementStart--;
  const before = line.slice(elementStart, start).trim();
  const match = (names: string[]) => names.filter((n) => n.toLowerCase().startsWith(lower.replace(/^'/, ''))).sort((a, b) => a.localeCompare(b));
  if (before === '') {
    if (word.startsWith('$')) return variables(c, start, cursor, word);
    return { start, end: cursor, candidates: match(c.commands().map((d) => d.name)) };
  }
  if (word.startsWith('$')) return variables(c, start, cursor, word);
  const def = c.findCmdlet(before.split(/\s+/)[0]!);
  if (!def) return none;
  if (word.startsWith('-')) {
    const names = allParams(def).map((p) => `-${p.name}`);
    return { start, end: cursor, candidates: names.filter((n) => n.toLowerCase().startsWith(lower)) };
  }
  const tokens = before.split(/\s+/);
  const last = tokens[tokens.length - 1]!;
  const param = last.startsWith('-') && tokens.length > 1 ? allParams(def).find((p) => p.name.toLowerCase().startsWith(last.slice(1).toLowerCase())) : undefined;
  const names = namesFor(c, def, param && param.type !== 'switch' ? param.name : null);
  return { start, end: cursor, candidates: match(names).map(psArg) };
}

function variables(c: PowerCliConsole, start: number, end: number, word: string): Completion {
  const names = [...c.variables.names(), 'true', 'false', 'null'].map((n) => `$${n}`);
  return { start, end, candidates: names.filter((n) => n.toLowerCase().startsWith(word.toLowerCase())).sort() };
}

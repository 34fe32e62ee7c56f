// Finding the lab's objects a cmdlet was given: PowerCLI objects (re-read from the current view by their id, since
// an object is a snapshot) or names with wildcards ("object by name"), within what the connection sees. Not found is
// PowerCLI's ObjectNotFound error, written for that name while the cmdlet goes on with the others.
import type { HostView, KeyProviderView, LabView, VmView } from '../../lab-types';
import type { CmdletContext } from '../cmdlet';
import { hasWildcard, PsObject, toPsString, wildcardRegex } from '../ps-values';

/** VMs the connection sees: vCenter's inventory, or the VMs on the ESXi host connected to directly. */
export function visibleVms(ctx: CmdletContext, view: LabView = ctx.view()): VmView[] {
  const c = ctx.connection();
  if (c.kind === 'host') return view.vms.filter((vm) => vm.hostId === c.hostId);
  const registered = new Set(view.vcenter?.registeredVmIds ?? []);
  return view.vms.filter((vm) => vm.registered && registered.has(vm.id));
}

export function visibleHosts(ctx: CmdletContext, view: LabView = ctx.view()): HostView[] {
  const c = ctx.connection();
  if (c.kind === 'host') return view.hosts.filter((h) => h.id === c.hostId);
  const ids = new Set(view.vcenter?.hostIds ?? []);
  return view.hosts.filter((h) => ids.has(h.id));
}

export function providers(ctx: CmdletContext, view: LabView = ctx.view()): KeyProviderView[] {
  const c = ctx.connection();
  if (c.kind === 'host') return [];
  return view.vcenter?.keyProviders ?? [];
}

export function notFound(ctx: CmdletContext, what: string, name: string): void {
  ctx.writeError({
    message: `${what} with name '${name}' was not found using the specified filter(s).`,
    category: 'ObjectNotFound',
    errorId: 'Core_OutputHelper_WriteNotFoundError',
    exception: 'VimException',
    target: { name, type: 'String' },
  });
}

/** Items of `all` whose name matches each pattern (wildcards allowed); a name that matches nothing is an error. */
export function byNames<T extends { name: string }>(ctx: CmdletContext, all: T[], names: string[] | undefined, what: string): T[] {
  if (!names) return all;
  const out: T[] = [];
  for (const name of names) {
    const re = wildcardRegex(name);
    const found = all.filter((item) => re.test(item.name));
    if (found.length === 0 && !hasWildcard(name)) notFound(ctx, what, name);
    for (const item of found) if (!out.includes(item)) out.push(item);
  }
  return out;
}

/**
 * Objects given to a parameter (or the pipeline): a PowerCLI object of `typeName` is found again by its id in
 * `all`; a string is a name (wildcards allowed).
 */
export function resolveObjects<T extends { id: string; name: string }>(
  ctx: CmdletContext,
  values: unknown[],
  all: T[],
  typeName: string,
  idPrefix: string,
  what: string,
): T[] {
  const out: T[] = [];
  for (const value of values.flatMap((v) => (Array.isArray(v) ? v : [v]))) {
    if (value instanceof PsObject && value.typeName === typeName) {
      const id = String(value.get('Id')).slice(idPrefix.length);
      const found = all.find((item) => item.id === id);
      if (found) out.push(found);
      else notFound(ctx, what, value.toString());
      continue;
    }
    if (value instanceof PsObject) {
      ctx.writeError({
        message: `Cannot bind ${value.typeName} '${value.toString()}' where a ${what} is expected.`,
        category: 'InvalidArgument',
        errorId: 'ParameterArgumentTransformationError',
        exception: 'ParameterBindingException',
      });
      continue;
    }
    for (const item of byNames(ctx, all, [toPsString(value)], what)) if (!out.includes(item)) out.push(item);
  }
  return out;
}

/** The objects given by the parameter `param` if it is bound, else those piped in (PowerShell binds one or the other). */
export function givenOrPiped(ctx: CmdletContext, param: string): unknown[] {
  return ctx.args.has(param) ? (ctx.args.get(param) as unknown[]) : ctx.input;
}

/** The VMs given by -VM or the pipeline. */
export function targetVms(ctx: CmdletContext, param = 'VM'): VmView[] {
  const given = givenOrPiped(ctx, param);
  return resolveObjects(ctx, given, visibleVms(ctx), 'VirtualMachine', 'VirtualMachine-', 'VM');
}

export function targetHosts(ctx: CmdletContext, param = 'VMHost'): HostView[] {
  const given = givenOrPiped(ctx, param);
  return resolveObjects(ctx, given, visibleHosts(ctx), 'VMHost', 'HostSystem-', 'VMHost');
}

/** One key provider from -KeyProvider (an object or a name), or null with the error written. */
export function oneProvider(ctx: CmdletContext, value: unknown): KeyProviderView | null {
  const values = (Array.isArray(value) ? value : [value]).flat();
  const all = providers(ctx);
  const found = values.flatMap((v) => {
    if (v instanceof PsObject && v.typeName === 'KeyProvider') {
      const p = all.find((x) => x.id === v.get('Id'));
      if (!p) notFound(ctx, 'KeyProvider', v.toString());
      return p ? [p] : [];
    }
    return byNames(ctx, all, [toPsString(v)], 'KeyProvider');
  });
  if (found.length > 1) {
    ctx.writeError({ message: `More than one key provider matches: ${found.map((p) => p.name).join(', ')}. Name one.`, category: 'InvalidArgument', errorId: 'AmbiguousKeyProvider', exception: 'VimException' });
    return null;
  }
  return found[0] ?? null;
}

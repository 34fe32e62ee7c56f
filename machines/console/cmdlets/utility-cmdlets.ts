// PowerShell's own pipeline cmdlets: Where-Object, ForEach-Object, Select-Object, Sort-Object, Measure-Object,
// Format-Table, Format-List, Write-Output, Write-Host. They work on any objects, step by step against the budget.
import type { CmdletContext, CmdletDef } from '../cmdlet';
import { columnsFor, formatList, formatTable, type Column } from '../format';
import { compareValues, isScriptBlock, PsObject, toBool, toPsString, wildcardRegex, type FormattedText, type ScriptBlockValue } from '../ps-values';
import { givenOrPiped } from './resolve';
import { cmdlet, MODULE } from './define';

const INPUT = { name: 'InputObject', type: 'objects', pipeline: true } as const;

function inputOf(ctx: CmdletContext): unknown[] {
  return givenOrPiped(ctx, 'InputObject');
}

function propertyOf(item: unknown, name: string): unknown {
  if (item instanceof PsObject) return item.get(name) ?? null;
  if (typeof item === 'string' && name.toLowerCase() === 'length') return item.length;
  return null;
}

/** Property names given to Select-Object / Sort-Object / Format-*, wildcards expanded against the object. */
function expandNames(sample: unknown, names: string[]): string[] {
  if (!(sample instanceof PsObject)) return names;
  return names.flatMap((n) => (/[*?]/.test(n) ? sample.names().filter((p) => wildcardRegex(n).test(p)) : [sample.nameOf(n) ?? n]));
}

const whereObject = cmdlet({
  name: 'Where-Object',
  module: MODULE.psCore,
  aliases: ['where', '?'],
  synopsis: 'Keeps the objects for which the script block is true ($_ is the object).',
  examples: ['Get-VM | Where-Object {$_.Name -like "db*"}', 'Get-VM | Where-Object {$_.Encrypted -and $_.KeyProvider -eq "KMS-Cluster"}', 'Get-VM | Where-Object Encrypted'],
  params: [
    { name: 'FilterScript', type: 'object', position: 0 },
    { name: 'Value', type: 'object', position: 1 },
    { name: 'EQ', type: 'switch' },
    { name: 'Like', type: 'switch' },
    INPUT,
  ],
  async run(ctx) {
    const filter = ctx.args.get('FilterScript');
    const items = inputOf(ctx);
    if (isScriptBlock(filter)) {
      for (const item of items) {
        ctx.step();
        if (toBool(collapseOut(await ctx.invokeBlock(filter, item)))) ctx.write(item);
      }
      return;
    }
    if (typeof filter === 'string') {
      // The simplified syntax: Where-Object Encrypted, Where-Object Name -EQ db-01, Where-Object Name -Like db*.
      const value = ctx.args.get('Value');
      for (const item of items) {
        ctx.step();
        const v = propertyOf(item, filter);
        const keep = !ctx.args.has('Value')
          ? toBool(v)
          : ctx.args.flag('Like')
            ? wildcardRegex(toPsString(value)).test(toPsString(v))
            : compareValues(v, value) === 0;
        if (keep) ctx.write(item);
      }
      return;
    }
    return ctx.fail({ message: "Cannot bind parameter 'FilterScript': give a script block, e.g. Where-Object {$_.Name -like \"db*\"}.", category: 'InvalidArgument', errorId: 'ParameterArgumentTransformationError', exception: 'ParameterBindingException' });
  },
});

const collapseOut = (items: unknown[]) => (items.length === 1 ? items[0] : items.length === 0 ? null : items);

const forEachObject = cmdlet({
  name: 'ForEach-Object',
  module: MODULE.psCore,
  aliases: ['foreach', '%'],
  synopsis: 'Runs the script block for each object ($_), or gets a property of each (ForEach-Object Name).',
  examples: ['Get-VM | ForEach-Object { "$($_.Name): $($_.KeyProvider)" }', 'Get-VM | ForEach-Object Name'],
  params: [{ name: 'Process', type: 'object', position: 0 }, { name: 'MemberName', type: 'string' }, INPUT],
  async run(ctx) {
    const block = ctx.args.get('Process');
    const member = ctx.args.has('MemberName') ? (ctx.args.get('MemberName') as string) : typeof block === 'string' ? block : null;
    for (const item of inputOf(ctx)) {
      ctx.step();
      if (member !== null) ctx.write(propertyOf(item, member));
      else if (isScriptBlock(block)) for (const out of await ctx.invokeBlock(block as ScriptBlockValue, item)) ctx.write(out);
      else return ctx.fail({ message: "Cannot bind parameter 'Process': give a script block, e.g. ForEach-Object { $_.Name }.", category: 'InvalidArgument', errorId: 'ParameterArgumentTransformationError', exception: 'ParameterBindingException' });
    }
  },
});

const selectObject = cmdlet({
  name: 'Select-Object',
  module: MODULE.psUtility,
  aliases: ['select'],
  synopsis: 'Picks properties of objects (-Property, wildcards), -ExpandProperty, -First, -Last, -Unique.',
  examples: ['Get-VM | Select-Object Name, KeyProvider, Encrypted', '(Get-VM db-01).ExtensionData.Config.KeyId | Select-Object KeyId', 'Get-VM | Select-Object -ExpandProperty Name'],
  params: [
    { name: 'Property', type: 'strings', position: 0 },
    { name: 'ExpandProperty', type: 'string' },
    { name: 'First', type: 'int' },
    { name: 'Last', type: 'int' },
    { name: 'Skip', type: 'int' },
    { name: 'Unique', type: 'switch' },
    INPUT,
  ],
  async run(ctx) {
    let items = inputOf(ctx);
    if (ctx.args.has('Skip')) items = items.slice(ctx.args.get('Skip') as number);
    if (ctx.args.has('First')) items = items.slice(0, ctx.args.get('First') as number);
    if (ctx.args.has('Last')) items = items.slice(Math.max(0, items.length - (ctx.args.get('Last') as number)));
    const names = ctx.args.get('Property') as string[] | undefined;
    const seen = new Set<string>();
    for (const item of items) {
      ctx.step();
      let out: unknown = item;
      if (names) {
        const props: Record<string, unknown> = {};
        for (const n of expandNames(item, names)) props[n] = propertyOf(item, n);
        out = new PsObject('Selected', props);
      }
      if (ctx.args.has('ExpandProperty')) {
        const v = propertyOf(item, ctx.args.get('ExpandProperty') as string);
        if (v === null && !(item instanceof PsObject && item.has(ctx.args.get('ExpandProperty') as string))) {
          ctx.writeError({ message: `Property "${ctx.args.get('ExpandProperty') as string}" cannot be found.`, category: 'InvalidArgument', errorId: 'ExpandPropertyNotFound', exception: 'PSArgumentException' });
          continue;
        }
        for (const x of Array.isArray(v) ? v : [v]) ctx.write(x);
        continue;
      }
      if (ctx.args.flag('Unique')) {
        const key = out instanceof PsObject ? out.names().map((n) => toPsString(out.get(n))).join('\u0000') : toPsString(out);
        if (seen.has(key)) continue;
        seen.add(key);
      }
      ctx.write(out);
    }
  },
});

const sortObject = cmdlet({
  name: 'Sort-Object',
  module: MODULE.psUtility,
  aliases: ['sort'],
  synopsis: 'Sorts objects by properties (-Property), -Descending, -Unique.',
  params: [{ name: 'Property', type: 'strings', position: 0 }, { name: 'Descending', type: 'switch' }, { name: 'Unique', type: 'switch' }, INPUT],
  async run(ctx) {
    const items = [...inputOf(ctx)];
    ctx.step(items.length);
    const names = ctx.args.get('Property') as string[] | undefined;
    const keyOf = (item: unknown) => (names ? names.map((n) => propertyOf(item, n)) : [item instanceof PsObject ? item.toString() : item]);
    const dir = ctx.args.flag('Descending') ? -1 : 1;
    const keyed = items.map((item, i) => ({ item, i, key: keyOf(item) }));
    keyed.sort((a, b) => {
      for (let k = 0; k < a.key.length; k++) {
        const c = compareValues(a.key[k], b.key[k]);
        if (c !== 0) return c * dir;
      }
      return a.i - b.i;
    });
    let last: string | null = null;
    for (const { item, key } of keyed) {
      if (ctx.args.flag('Unique')) {
        const k = key.map(toPsString).join('\u0000').toLowerCase();
        if (k === last) continue;
        last = k;
      }
      ctx.write(item);
    }
  },
});

const measureObject = cmdlet({
  name: 'Measure-Object',
  module: MODULE.psUtility,
  aliases: ['measure'],
  synopsis: 'Counts objects, and sums, averages, or finds the minimum and maximum of a property.',
  examples: ['Get-VM | Where-Object Encrypted | Measure-Object', 'Get-VM | Measure-Object -Property DiskSizeGB -Sum'],
  params: [{ name: 'Property', type: 'strings', position: 0 }, { name: 'Sum', type: 'switch' }, { name: 'Average', type: 'switch' }, { name: 'Maximum', type: 'switch' }, { name: 'Minimum', type: 'switch' }, INPUT],
  async run(ctx) {
    const items = inputOf(ctx);
    ctx.step(items.length);
    const names = (ctx.args.get('Property') as string[] | undefined) ?? [null];
    for (const name of names) {
      const values = name === null ? items : items.map((i) => propertyOf(i, name)).filter((v) => v !== null);
      const numbers = values.map((v) => (typeof v === 'number' ? v : Number(toPsString(v))));
      const wantNumbers = ctx.args.flag('Sum') || ctx.args.flag('Average') || ctx.args.flag('Maximum') || ctx.args.flag('Minimum');
      if (wantNumbers && numbers.some((n) => Number.isNaN(n))) {
        ctx.writeError({ message: `Input object "${toPsString(values[numbers.findIndex((n) => Number.isNaN(n))])}" is not numeric.`, category: 'InvalidArgument', errorId: 'NonNumericInputObject', exception: 'PSInvalidOperationException' });
        continue;
      }
      const sum = numbers.reduce((a, b) => a + b, 0);
      ctx.write(
        new PsObject('GenericMeasureInfo', {
          Count: values.length,
          Average: ctx.args.flag('Average') && numbers.length ? sum / numbers.length : null,
          Sum: ctx.args.flag('Sum') ? sum : null,
          Maximum: ctx.args.flag('Maximum') && numbers.length ? Math.max(...numbers) : null,
          Minimum: ctx.args.flag('Minimum') && numbers.length ? Math.min(...numbers) : null,
          Property: name,
        }),
      );
    }
  },
});

function formatted(text: string): FormattedText {
  return { kind: 'formatted', text };
}

/** What Format-Table and Format-List show: the non-null input, plain values wrapped as a Value property, counted. */
function formatInput(ctx: CmdletContext): PsObject[] {
  const objects = inputOf(ctx)
    .filter((i) => i !== null)
    .map((i) => (i instanceof PsObject ? i : new PsObject('Value', { Value: i })));
  ctx.step(objects.length);
  return objects;
}

const formatTableCmd = cmdlet({
  name: 'Format-Table',
  module: MODULE.psUtility,
  aliases: ['ft'],
  synopsis: 'Shows objects as a table (-Property picks the columns; -AutoSize is accepted).',
  params: [{ name: 'Property', type: 'strings', position: 0 }, { name: 'AutoSize', type: 'switch' }, { name: 'Wrap', type: 'switch' }, INPUT],
  async run(ctx) {
    const objects = formatInput(ctx);
    if (objects.length === 0) return;
    const names = ctx.args.get('Property') as string[] | undefined;
    const columns: Column[] = names ? expandNames(objects[0], names).map((n) => ({ label: n, value: (o) => o.get(n) })) : columnsFor(objects[0]!);
    ctx.write(formatted(formatTable(objects, columns)));
  },
});

const formatListCmd = cmdlet({
  name: 'Format-List',
  module: MODULE.psUtility,
  aliases: ['fl'],
  synopsis: 'Shows each object as a list of properties (-Property picks them; * shows all).',
  examples: ['Get-VM db-01 | Format-List *', 'Get-KeyProvider | Format-List Name, Type, Status, KeyId'],
  params: [{ name: 'Property', type: 'strings', position: 0 }, INPUT],
  async run(ctx) {
    const objects = formatInput(ctx);
    if (objects.length === 0) return;
    const names = ctx.args.get('Property') as string[] | undefined;
    const chosen = names ? expandNames(objects[0], names) : undefined;
    ctx.write(formatted(formatList(objects, chosen)));
  },
});

const writeOutput = cmdlet({
  name: 'Write-Output',
  module: MODULE.psUtility,
  aliases: ['echo', 'write'],
  synopsis: 'Writes objects to the pipeline.',
  params: [{ name: 'InputObject', type: 'objects', position: 0, pipeline: true }],
  async run(ctx) {
    for (const item of inputOf(ctx)) ctx.write(item);
  },
});

const writeHost = cmdlet({
  name: 'Write-Host',
  module: MODULE.psUtility,
  synopsis: 'Writes text to the console (not to the pipeline).',
  params: [{ name: 'Object', type: 'objects', position: 0, pipeline: true }, { name: 'ForegroundColor', type: 'string' }, { name: 'NoNewline', type: 'switch' }],
  async run(ctx) {
    const items = givenOrPiped(ctx, 'Object');
    ctx.writeHost(items.map(toPsString).join(' '));
  },
});

export const UTILITY_CMDLETS: CmdletDef[] = [whereObject, forEachObject, selectObject, sortObject, measureObject, formatTableCmd, formatListCmd, writeOutput, writeHost];

// Get-Help and Get-Command: what the lab's console supports, cmdlet by cmdlet, with the real cmdlets' syntax (the
// parameters, their positions and pipeline input as PowerCLI declares them) and what the lab does and does not do.
import { allParams } from '../binder';
import type { CmdletContext, CmdletDef, ParamDef } from '../cmdlet';
import { PsObject, wildcardRegex } from '../ps-values';
import { cmdlet, MODULE } from './define';

const TYPE_LABEL: Record<ParamDef['type'], string> = {
  string: 'String',
  strings: 'String[]',
  switch: '',
  int: 'Int32',
  bool: 'Boolean',
  secureString: 'SecureString',
  scriptBlock: 'ScriptBlock',
  objects: 'Object[]',
  object: 'Object',
};

export function syntaxOf(def: CmdletDef): string {
  const parts = def.params.map((p) => {
    const type = TYPE_LABEL[p.type];
    const name = p.position !== undefined ? `[-${p.name}]` : `-${p.name}`;
    const body = type ? `${name} <${type}>` : name;
    return p.mandatory ? body : `[${body}]`;
  });
  if (def.shouldProcess) parts.push('[-WhatIf]', '[-Confirm]');
  return `${def.name} ${parts.join(' ')} [<CommonParameters>]`.replace(/\s+/g, ' ');
}

function helpText(def: CmdletDef, ctx: CmdletContext): string {
  const lines = ['', 'NAME', `    ${def.name}`, '', 'SYNOPSIS', `    ${def.synopsis}`, '', 'SYNTAX', `    ${syntaxOf(def)}`, '', 'PARAMETERS'];
  for (const p of allParams(def).filter((x) => !['Verbose', 'Debug'].includes(x.name))) {
    const flags = [p.mandatory ? 'required' : 'optional', p.position !== undefined ? `position ${p.position + 1}` : 'named', p.pipeline ? 'pipeline input' : null, p.aliases?.length ? `alias ${p.aliases.join(', ')}` : null].filter(Boolean).join('; ');
    lines.push(`    -${p.name}${TYPE_LABEL[p.type] ? ` <${TYPE_LABEL[p.type]}>` : ''}  (${flags})`);
    if (p.help) lines.push(`        ${p.help}`);
  }
  lines.push('', 'IN THIS LAB', `    Module ${def.module}.${def.needsConnection ? ' Needs Connect-VIServer first.' : ''}`);
  if (def.labNotes) lines.push(`    ${def.labNotes}`);
  if (def.name === 'Import-KeyProvider') {
    const files = [...ctx.session.files.values()].map((f) => f.path);
    lines.push(`    Files the console holds now: ${files.length ? files.join(', ') : 'none'}.`);
  }
  if (def.examples?.length) lines.push('', 'EXAMPLES', ...def.examples.map((e) => `    PS C:\\> ${e}`));
  lines.push('');
  return lines.join('\n');
}

const getHelp = cmdlet({
  name: 'Get-Help',
  module: MODULE.psCore,
  aliases: ['help', 'man'],
  synopsis: 'Shows what a cmdlet does in this lab: its syntax, parameters, what the lab supports of it, examples.',
  params: [{ name: 'Name', type: 'string', position: 0 }, { name: 'Full', type: 'switch' }, { name: 'Examples', type: 'switch' }, { name: 'Detailed', type: 'switch' }],
  async run(ctx) {
    const name = ctx.args.get('Name') as string | undefined;
    const all = ctx.registry();
    if (!name) {
      const lines = ['', "The lab's PowerCLI console supports these cmdlets (Get-Help <cmdlet> for each):", ''];
      const width = Math.max(...all.map((d) => d.name.length));
      for (const d of all) lines.push(`    ${d.name.padEnd(width)}  ${d.synopsis}`);
      lines.push('', 'Start with Connect-VIServer -Server <vCenter> -User <user>. PowerShell as administrators type it: variables, pipelines, Where-Object {...}, ForEach-Object {...}, -WhatIf, -Confirm:$false, -RunAsync.', '');
      ctx.write({ kind: 'formatted', text: lines.join('\n') });
      return;
    }
    const re = wildcardRegex(name);
    const lower = name.toLowerCase();
    const found = all.filter((d) => d.name.toLowerCase() === lower || d.aliases?.some((a) => a.toLowerCase() === lower));
    const matches = found.length ? found : all.filter((d) => re.test(d.name));
    if (matches.length === 0) {
      return ctx.fail({
        message: `Get-Help could not find ${name} in a help file in this session. The lab's console does not support it; Get-Command lists what it supports.`,
        category: 'ResourceUnavailable',
        errorId: 'HelpNotFound',
        exception: 'HelpNotFoundException',
        target: { name, type: 'String' },
      });
    }
    if (matches.length > 1) {
      ctx.write({ kind: 'formatted', text: ['', ...matches.map((d) => `    ${d.name}  ${d.synopsis}`), ''].join('\n') });
      return;
    }
    ctx.write({ kind: 'formatted', text: helpText(matches[0]!, ctx) });
  },
});

const getCommand = cmdlet({
  name: 'Get-Command',
  module: MODULE.psCore,
  aliases: ['gcm'],
  synopsis: "Lists the cmdlets the lab's console supports (-Name, -Noun, -Verb, -Module filter, wildcards allowed).",
  params: [{ name: 'Name', type: 'strings', position: 0 }, { name: 'Noun', type: 'strings' }, { name: 'Verb', type: 'strings' }, { name: 'Module', type: 'strings' }, { name: 'Syntax', type: 'switch' }],
  async run(ctx) {
    const test = (param: string, value: (d: CmdletDef) => string) => {
      const patterns = ctx.args.get(param) as string[] | undefined;
      return (d: CmdletDef) => !patterns || patterns.some((p) => wildcardRegex(p).test(value(d)));
    };
    const list = ctx
      .registry()
      .filter(test('Name', (d) => d.name))
      .filter(test('Noun', (d) => d.name.split('-')[1] ?? ''))
      .filter(test('Verb', (d) => d.name.split('-')[0] ?? ''))
      .filter(test('Module', (d) => d.module));
    if (ctx.args.has('Name') && list.length === 0) {
      const name = (ctx.args.get('Name') as string[])[0]!;
      if (!/[*?]/.test(name)) {
        return ctx.fail({
          message: `The term '${name}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`,
          category: 'ObjectNotFound',
          errorId: 'CommandNotFoundException',
          exception: 'CommandNotFoundException',
          target: { name, type: 'String' },
        });
      }
    }
    for (const d of [...list].sort((a, b) => a.name.localeCompare(b.name))) {
      if (ctx.args.flag('Syntax')) ctx.write(syntaxOf(d));
      else ctx.write(new PsObject('CommandInfo', { CommandType: d.module === MODULE.vmEncryption ? 'Function' : 'Cmdlet', Name: d.name, Version: '', Source: d.module, Synopsis: d.synopsis }, d.name));
    }
  },
});

export const HELP_CMDLETS: CmdletDef[] = [getHelp, getCommand];

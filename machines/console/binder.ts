// Parameter binding as PowerShell does it: names case-insensitive, any unambiguous prefix of a parameter (or alias)
// name, -Name value / -Name:value / switches, positional arguments by the cmdlet's declared positions, and the
// common -WhatIf / -Confirm where the cmdlet supports them. Wrong input gets PowerShell's ParameterBindingException.
import type { Extent } from '@/lib/powershell';
import type { BoundArgs, CmdletDef, ParamDef, ParamType } from './cmdlet';
import { PsRuntimeError, type ErrorRecordInit } from './ps-errors';
import { isScriptBlock, PsObject, psTypeName, toBool, toPsString } from './ps-values';

/** A command element with its value already evaluated. */
export type EvaluatedElement =
  | { kind: 'parameter'; name: string; value: unknown; hasValue: boolean; extent: Extent }
  | { kind: 'argument'; value: unknown; extent: Extent };

const COMMON: ParamDef[] = [
  { name: 'Verbose', type: 'switch', aliases: ['vb'] },
  { name: 'Debug', type: 'switch', aliases: ['db'] },
];
const SHOULD_PROCESS: ParamDef[] = [
  { name: 'WhatIf', type: 'switch', aliases: ['wi'] },
  { name: 'Confirm', type: 'switch', aliases: ['cf'] },
];

const NET_TYPE: Record<ParamType, string> = {
  string: 'System.String',
  strings: 'System.String[]',
  switch: 'System.Management.Automation.SwitchParameter',
  int: 'System.Int32',
  bool: 'System.Boolean',
  secureString: 'System.Security.SecureString',
  scriptBlock: 'System.Management.Automation.ScriptBlock',
  objects: 'System.Object[]',
  object: 'System.Object',
};

export function allParams(def: CmdletDef): ParamDef[] {
  return [...def.params, ...(def.shouldProcess ? SHOULD_PROCESS : []), ...COMMON];
}

function bindingError(def: CmdletDef, message: string, errorId: string, extent: Extent, category: ErrorRecordInit['category'] = 'InvalidArgument'): PsRuntimeError {
  return new PsRuntimeError({
    message,
    category,
    errorId,
    exception: 'ParameterBindingException',
    activity: def.name,
    commandClass: def.commandClass,
    extent,
  });
}

/** The parameter a typed name means: exact name or alias first, else the one parameter it is a prefix of. */
export function resolveParam(def: CmdletDef, typed: string, extent: Extent): ParamDef {
  const params = allParams(def);
  const lower = typed.toLowerCase();
  const exact = params.find((p) => p.name.toLowerCase() === lower || p.aliases?.some((a) => a.toLowerCase() === lower));
  if (exact) return exact;
  const matches = params.filter((p) => p.name.toLowerCase().startsWith(lower) || p.aliases?.some((a) => a.toLowerCase().startsWith(lower)));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw bindingError(
      def,
      `Parameter cannot be processed because the parameter name '${typed}' is ambiguous. Possible matches include: ${matches.map((p) => `-${p.name}`).join(' ')}.`,
      'AmbiguousParameter',
      extent,
    );
  }
  throw bindingError(def, `A parameter cannot be found that matches parameter name '${typed}'.`, 'NamedParameterNotFound', extent);
}

function coerce(def: CmdletDef, param: ParamDef, value: unknown, extent: Extent): unknown {
  const fail = (why: string): never => {
    throw bindingError(def, `Cannot process argument transformation on parameter '${param.name}'. ${why}`, 'ParameterArgumentTransformationError', extent);
  };
  switch (param.type) {
    case 'switch':
    case 'bool':
      return toBool(value);
    case 'string':
      if (Array.isArray(value)) {
        if (value.length === 1) return toPsString(value[0]);
        fail(`Cannot convert 'System.Object[]' to the type 'System.String' required by parameter '${param.name}'. Specified method is not supported.`);
      }
      if (value instanceof PsObject && value.typeName === 'SecureString') fail('A SecureString cannot be used as plain text.');
      return value === null ? '' : toPsString(value);
    case 'strings':
      return (Array.isArray(value) ? value : [value]).map((v) => toPsString(v));
    case 'int': {
      const n = typeof value === 'number' ? value : Number(toPsString(value).trim());
      if (!Number.isFinite(n) || toPsString(value).trim() === '') fail(`Cannot convert value "${toPsString(value)}" to type "System.Int32". Error: "Input string was not in a correct format."`);
      return Math.round(n);
    }
    case 'secureString':
      if (value instanceof PsObject && value.typeName === 'SecureString') return value;
      return fail(
        `Cannot convert the "${toPsString(value)}" value of type "${psTypeName(value)}" to type "System.Security.SecureString". Make one with (ConvertTo-SecureString -String "..." -AsPlainText -Force) or Read-Host -AsSecureString.`,
      );
    case 'scriptBlock':
      if (isScriptBlock(value)) return value;
      return fail(`Cannot convert the "${toPsString(value)}" value of type "${psTypeName(value)}" to type "System.Management.Automation.ScriptBlock".`);
    case 'objects':
      return Array.isArray(value) ? value : [value];
    case 'object':
      return value;
  }
}

export interface Binding {
  args: BoundArgs;
  /** The parameter that takes pipeline input, when the input is to go to it. */
  pipelineParam: ParamDef | null;
}

export function bindArguments(def: CmdletDef, elements: EvaluatedElement[], hasInput: boolean, commandExtent: Extent): Binding {
  const bound = new Map<string, unknown>();
  const positional: { value: unknown; extent: Extent }[] = [];
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i]!;
    if (element.kind === 'argument') {
      positional.push({ value: element.value, extent: element.extent });
      continue;
    }
    const param = resolveParam(def, element.name, element.extent);
    if (bound.has(param.name.toLowerCase())) {
      throw bindingError(def, `Cannot bind parameter because parameter '${param.name}' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, "-parameter value1,value2,value3".`, 'ParameterAlreadyBound', element.extent);
    }
    let value: unknown;
    if (param.type === 'switch') {
      value = element.hasValue ? element.value : true;
    } else if (element.hasValue) {
      value = element.value;
    } else {
      const next = elements[i + 1];
      if (!next || next.kind !== 'argument') {
        throw bindingError(def, `Missing an argument for parameter '${param.name}'. Specify a parameter of type '${NET_TYPE[param.type]}' and try again.`, 'MissingArgument', element.extent);
      }
      value = next.value;
      i++;
    }
    bound.set(param.name.toLowerCase(), coerce(def, param, value, element.extent));
  }
  const byPosition = def.params.filter((p) => p.position !== undefined).sort((a, b) => a.position! - b.position!);
  for (const arg of positional) {
    const param = byPosition.find((p) => !bound.has(p.name.toLowerCase()));
    if (!param) {
      throw bindingError(def, `A positional parameter cannot be found that accepts argument '${toPsString(arg.value)}'.`, 'PositionalParameterNotFound', arg.extent);
    }
    bound.set(param.name.toLowerCase(), coerce(def, param, arg.value, arg.extent));
  }
  let pipelineParam: ParamDef | null = null;
  if (hasInput) {
    pipelineParam = def.params.find((p) => p.pipeline && !bound.has(p.name.toLowerCase())) ?? null;
    if (!pipelineParam) {
      throw new PsRuntimeError({
        message:
          'The input object cannot be bound to any parameters for the command either because the command does not take pipeline input or the input and its properties do not match any of the parameters that take pipeline input.',
        category: 'InvalidArgument',
        errorId: 'InputObjectNotBound',
        exception: 'ParameterBindingException',
        activity: def.name,
        commandClass: def.commandClass,
        extent: commandExtent,
      });
    }
  }
  const missing = def.params.filter((p) => p.mandatory && !bound.has(p.name.toLowerCase()) && p !== pipelineParam);
  if (missing.length > 0) {
    throw bindingError(
      def,
      `Cannot process command because of one or more missing mandatory parameters: ${missing.map((p) => p.name).join(' ')}.`,
      'MissingMandatoryParameter',
      commandExtent,
    );
  }
  const args: BoundArgs = {
    has: (name) => bound.has(name.toLowerCase()),
    get: (name) => bound.get(name.toLowerCase()),
    flag: (name) => bound.get(name.toLowerCase()) === true,
  };
  return { args, pipelineParam };
}

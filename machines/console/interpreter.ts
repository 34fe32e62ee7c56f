// Runs a parsed script: statements one after another (a failed statement reports its error and the next one runs),
// pipelines stage by stage (each stage's items in an array, so 100,000 items never deepen the stack), expressions
// with PowerShell's operators, script blocks for Where-Object / ForEach-Object with $_ in a child scope, and cmdlets
// bound by binder.ts. Every expression and every item counts against a step budget, and the work yields to the page
// now and then, so hostile input ends with an error instead of a hung tab.
import { LIMITS, type Expr, type Extent, type Pipeline, type PipelineElement, type Statement } from '@/lib/powershell';
import { bindArguments, type EvaluatedElement } from './binder';
import type { CmdletDef } from './cmdlet';
import { PsRuntimeError, type ErrorRecordInit } from './ps-errors';
import { collapse, compareValues, enumerate, PsObject, toBool, toPsString, valuesEqual, wildcardRegex, type ScriptBlockValue } from './ps-values';

export class Scope {
  private readonly vars = new Map<string, { name: string; value: unknown }>();

  constructor(readonly parent: Scope | null = null) {}

  lookup(name: string): { found: boolean; value: unknown } {
    const key = bareName(name);
    const v = this.vars.get(key);
    if (v) return { found: true, value: v.value };
    return this.parent ? this.parent.lookup(name) : { found: false, value: undefined };
  }

  set(name: string, value: unknown): void {
    this.vars.set(bareName(name), { name, value });
  }

  names(): string[] {
    return [...this.vars.values()].map((v) => v.name);
  }
}

/** `$global:x` and `$script:x` are `$x` in the console's one scope; PSItem is `$_`. */
function bareName(name: string): string {
  const lower = name.toLowerCase().replace(/^(global|script|local):/, '');
  return lower === 'psitem' ? '_' : lower;
}

export interface InterpreterEnv {
  source: string;
  findCmdlet(name: string): CmdletDef | undefined;
  /** Runs a bound cmdlet and returns what it wrote to the pipeline. */
  invokeCmdlet(def: CmdletDef, args: ReturnType<typeof bindArguments>, input: unknown[], extent: Extent, interpreter: Interpreter): Promise<unknown[]>;
  /** Gives the page a turn (a macrotask) every so many steps. */
  yieldToPage(): Promise<void>;
}

const YIELD_EVERY = 20_000;
/** Regular expressions that can backtrack for ever (a quantified group holding a quantifier) are refused. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]/;

export class Interpreter {
  private steps = 0;

  constructor(private readonly env: InterpreterEnv) {}

  runtimeError(message: string, extent: Extent, init: Partial<ErrorRecordInit> = {}): PsRuntimeError {
    return new PsRuntimeError({ message, category: 'InvalidOperation', errorId: 'RuntimeException', exception: 'RuntimeException', extent, ...init });
  }

  /** Counts steps against the budget and throws when it is spent (no yield: for loops inside a cmdlet). */
  count(count: number, extent: Extent): void {
    this.steps += count;
    if (this.steps > LIMITS.maxSteps) this.budgetSpent(extent);
  }

  private budgetSpent(extent: Extent): never {
    const error = this.runtimeError(
      `The input was stopped after ${LIMITS.maxSteps.toLocaleString('en-US')} evaluation steps, the lab's limit for one input. Nothing after this point ran.`,
      extent,
      { errorId: 'StepBudgetExceeded', category: 'OperationStopped', exception: 'ScriptCallDepthException' },
    );
    error.scriptTerminating = true;
    throw error;
  }

  async step(count = 1, extent: Extent = { start: 0, end: 1 }): Promise<void> {
    const before = this.steps;
    this.steps += count;
    if (this.steps > LIMITS.maxSteps) this.budgetSpent(extent);
    if (Math.floor(before / YIELD_EVERY) !== Math.floor(this.steps / YIELD_EVERY)) await this.env.yieldToPage();
  }

  /** Statements' output, in order (inside a script block or a subexpression). */
  async runStatements(statements: Statement[], scope: Scope): Promise<unknown[]> {
    const out: unknown[] = [];
    for (const statement of statements) {
      const items = await this.runStatement(statement, scope);
      for (const item of items) out.push(item);
    }
    return out;
  }

  async runStatement(statement: Statement, scope: Scope): Promise<unknown[]> {
    await this.step(1, statement.extent);
    if (statement.kind === 'assignment') {
      const items = await this.runPipeline(statement.value, scope);
      scope.set(statement.variable, collapse(items));
      return [];
    }
    return this.runPipeline(statement.pipeline, scope);
  }

  async runPipeline(pipeline: Pipeline, scope: Scope): Promise<unknown[]> {
    let items: unknown[] = [];
    for (let i = 0; i < pipeline.elements.length; i++) {
      const element = pipeline.elements[i]!;
      items = element.kind === 'expression' ? enumerate(await this.evaluate(element.expr, scope)) : await this.runCommand(element, items, i > 0, scope);
      if (items.length > LIMITS.maxPipelineItems) {
        throw this.runtimeError(
          `The pipeline holds ${items.length.toLocaleString('en-US')} items; the lab's console takes up to ${LIMITS.maxPipelineItems.toLocaleString('en-US')} at once.`,
          element.extent,
          { errorId: 'PipelineTooLarge', category: 'OperationStopped' },
        );
      }
    }
    return items;
  }

  private async runCommand(element: Extract<PipelineElement, { kind: 'command' }>, input: unknown[], hasInput: boolean, scope: Scope): Promise<unknown[]> {
    const def = this.env.findCmdlet(element.name);
    if (!def) {
      throw new PsRuntimeError({
        message: `The term '${element.name}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again. (Get-Command lists what this lab's console supports.)`,
        category: 'ObjectNotFound',
        errorId: 'CommandNotFoundException',
        exception: 'CommandNotFoundException',
        activity: element.name,
        target: { name: element.name, type: 'String' },
        extent: element.nameExtent,
      });
    }
    const evaluated: EvaluatedElement[] = [];
    for (const e of element.elements) {
      if (e.kind === 'parameter') {
        evaluated.push({ kind: 'parameter', name: e.name, value: e.value ? await this.evaluate(e.value, scope) : undefined, hasValue: !!e.value, extent: e.extent });
      } else {
        evaluated.push({ kind: 'argument', value: await this.evaluate(e.value, scope), extent: e.extent });
      }
    }
    // Nothing came down the pipe (Get-VM nothere | Start-VM): a cmdlet whose input is its mandatory target has nothing
    // to act on and does not run, as PowerShell never calls its process block; it is no missing parameter.
    const target = def.params.find((p) => p.pipeline && p.mandatory);
    const named = (p: { name: string; aliases?: string[] }) =>
      evaluated.some((e) => e.kind === 'parameter' && [p.name, ...(p.aliases ?? [])].some((n) => n.toLowerCase().startsWith(e.name.toLowerCase())));
    if (hasInput && input.length === 0 && target && !named(target)) return [];
    const binding = bindArguments(def, evaluated, hasInput && input.length > 0, element.extent);
    return this.env.invokeCmdlet(def, binding, input, element.extent, this);
  }

  async invokeBlock(block: ScriptBlockValue, item: unknown, parent: Scope): Promise<unknown[]> {
    const scope = new Scope(parent);
    scope.set('_', item);
    return this.runStatements(block.body.body, scope);
  }

  async evaluate(expr: Expr, scope: Scope): Promise<unknown> {
    await this.step(1, expr.extent);
    switch (expr.kind) {
      case 'const':
        return expr.value;
      case 'bareword':
        return expr.text;
      case 'expandable': {
        let text = '';
        for (const part of expr.parts) text += typeof part === 'string' ? part : toPsString(await this.evaluate(part, scope));
        return text;
      }
      case 'variable': {
        const found = scope.lookup(expr.name);
        if (!found.found) {
          throw this.runtimeError(`The variable '$${expr.name}' cannot be retrieved because it has not been set.`, expr.extent, {
            errorId: 'VariableIsUndefined',
            target: { name: expr.name, type: 'String' },
          });
        }
        return found.value;
      }
      case 'member':
        return this.member(await this.evaluate(expr.target, scope), expr.name, expr.extent);
      case 'index':
        return this.index(await this.evaluate(expr.target, scope), await this.evaluate(expr.index, scope), expr.extent);
      case 'list': {
        const items: unknown[] = [];
        for (const item of expr.items) items.push(await this.evaluate(item, scope));
        return items;
      }
      case 'arrayExpr':
        return this.runStatements(expr.body, scope);
      case 'subExpr':
        return collapse(await this.runStatements(expr.body, scope));
      case 'paren':
        return collapse(await this.runPipeline(expr.pipeline, scope));
      case 'scriptBlock':
        return { kind: 'scriptBlock', body: expr } satisfies ScriptBlockValue;
      case 'not':
        return !toBool(await this.evaluate(expr.operand, scope));
      case 'negate': {
        const v = await this.evaluate(expr.operand, scope);
        return -Number(toPsString(v));
      }
      case 'range':
        return this.range(await this.evaluate(expr.from, scope), await this.evaluate(expr.to, scope), expr.extent);
      case 'binary':
        return this.binary(expr, scope);
    }
  }

  private member(target: unknown, name: string, extent: Extent): unknown {
    const lower = name.toLowerCase();
    if (Array.isArray(target)) {
      if (lower === 'count' || lower === 'length') return target.length;
      // Member enumeration: (Get-VM).Name is every VM's name.
      return collapse(target.flatMap((item) => enumerate(this.memberOf(item, name, extent, false))));
    }
    return this.memberOf(target, name, extent, true);
  }

  private memberOf(target: unknown, name: string, extent: Extent, strict: boolean): unknown {
    const lower = name.toLowerCase();
    if (target instanceof PsObject) {
      if (target.has(name)) return target.get(name);
      if (lower === 'count' || lower === 'length') return 1;
      if (strict) throw this.propertyNotFound(name, extent);
      return null;
    }
    if (typeof target === 'string' && lower === 'length') return target.length;
    if (target instanceof Uint8Array && (lower === 'length' || lower === 'count')) return target.length;
    if (lower === 'count') return target === null || target === undefined ? 0 : 1;
    if (target === null || target === undefined) return null;
    if (strict) throw this.propertyNotFound(name, extent);
    return null;
  }

  /** PowerShell's error for a member read that finds no such property on a single object. */
  private propertyNotFound(name: string, extent: Extent): PsRuntimeError {
    return this.runtimeError(`The property '${name}' cannot be found on this object. Verify that the property exists.`, extent, {
      errorId: 'PropertyNotFoundStrict',
      category: 'NotSpecified',
      exception: 'PropertyNotFoundException',
    });
  }

  private index(target: unknown, index: unknown, extent: Extent): unknown {
    if (Array.isArray(index)) return index.map((i) => this.index(target, i, extent));
    if (target instanceof PsObject) return target.get(toPsString(index)) ?? null;
    const list = typeof target === 'string' ? [...target] : target instanceof Uint8Array ? [...target] : Array.isArray(target) ? target : target === null ? null : [target];
    if (list === null) throw this.runtimeError('Cannot index into a null array.', extent, { errorId: 'NullArray' });
    const n = typeof index === 'number' ? index : Number(toPsString(index));
    if (!Number.isInteger(n)) throw this.runtimeError(`Cannot convert value "${toPsString(index)}" to type "System.Int32".`, extent, { errorId: 'InvalidCastFromStringToInteger', category: 'InvalidArgument' });
    const i = n < 0 ? list.length + n : n;
    return list[i] ?? null;
  }

  private range(from: unknown, to: unknown, extent: Extent): number[] {
    const a = Number(toPsString(from));
    const b = Number(toPsString(to));
    if (!Number.isFinite(a) || !Number.isFinite(b)) throw this.runtimeError('A range (a..b) needs two numbers.', extent, { errorId: 'InvalidCastFromStringToInteger', category: 'InvalidArgument' });
    const count = Math.abs(Math.round(b) - Math.round(a)) + 1;
    if (count > LIMITS.maxPipelineItems) {
      throw this.runtimeError(`The range ${a}..${b} has ${count.toLocaleString('en-US')} items; the lab's console takes up to ${LIMITS.maxPipelineItems.toLocaleString('en-US')} at once.`, extent, {
        errorId: 'PipelineTooLarge',
        category: 'OperationStopped',
      });
    }
    const out = new Array<number>(count);
    const dir = b >= a ? 1 : -1;
    for (let i = 0; i < count; i++) out[i] = Math.round(a) + i * dir;
    return out;
  }

  private async binary(expr: Extract<Expr, { kind: 'binary' }>, scope: Scope): Promise<unknown> {
    if (expr.op === 'and') return toBool(await this.evaluate(expr.left, scope)) && toBool(await this.evaluate(expr.right, scope));
    if (expr.op === 'or') return toBool(await this.evaluate(expr.left, scope)) || toBool(await this.evaluate(expr.right, scope));
    const left = await this.evaluate(expr.left, scope);
    const right = await this.evaluate(expr.right, scope);
    if (expr.op === 'xor') return toBool(left) !== toBool(right);
    const cs = expr.caseSensitive;
    if (expr.op === 'contains' || expr.op === 'notcontains') {
      const has = enumerate(left).some((item) => valuesEqual(item, right, cs));
      return expr.op === 'contains' ? has : !has;
    }
    if (expr.op === 'in' || expr.op === 'notin') {
      const has = enumerate(right).some((item) => valuesEqual(left, item, cs));
      return expr.op === 'in' ? has : !has;
    }
    const test = this.comparer(expr, right);
    // A collection on the left filters: @(1,2,3) -gt 1 is 2, 3.
    if (Array.isArray(left)) return left.filter(test);
    return test(left);
  }

  private comparer(expr: Extract<Expr, { kind: 'binary' }>, right: unknown): (left: unknown) => boolean {
    const cs = expr.caseSensitive;
    switch (expr.op) {
      case 'eq':
        return (l) => valuesEqual(l, right, cs);
      case 'ne':
        return (l) => !valuesEqual(l, right, cs);
      case 'gt':
        return (l) => compareValues(l, right, cs) > 0;
      case 'ge':
        return (l) => compareValues(l, right, cs) >= 0;
      case 'lt':
        return (l) => compareValues(l, right, cs) < 0;
      case 'le':
        return (l) => compareValues(l, right, cs) <= 0;
      case 'like':
      case 'notlike': {
        const re = wildcardRegex(toPsString(right), cs);
        return expr.op === 'like' ? (l) => re.test(toPsString(l)) : (l) => !re.test(toPsString(l));
      }
      case 'match':
      case 'notmatch': {
        const pattern = toPsString(right);
        if (NESTED_QUANTIFIER.test(pattern)) {
          throw this.runtimeError(`The regular expression "${pattern}" has a quantified group that holds a quantifier; the lab's console refuses such patterns, which can run for ever.`, expr.opExtent, {
            errorId: 'RegexRefused',
            category: 'InvalidArgument',
          });
        }
        let re: RegExp;
        try {
          re = new RegExp(pattern, cs ? '' : 'i');
        } catch (error) {
          throw this.runtimeError(`The regular expression pattern ${pattern} is not valid. ${(error as Error).message}`, expr.opExtent, { errorId: 'InvalidRegularExpression', category: 'InvalidArgument' });
        }
        const test = (l: unknown) => re.test(toPsString(l).slice(0, 10_000));
        return expr.op === 'match' ? test : (l) => !test(l);
      }
      default:
        throw this.runtimeError(`The operator -${expr.op} is not supported here.`, expr.opExtent);
    }
  }
}

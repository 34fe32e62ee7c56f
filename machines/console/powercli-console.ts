// The console: one PowerCLI session over a Lab. run(input) parses what the learner typed, runs it statement by
// statement through the interpreter and the cmdlets (which act on the lab only through dispatch, getView and the
// Lab's queries), and returns what PowerShell would print: formatted output, "What if:" lines, warnings and errors
// with their position. Variables, the connection, tasks and files live as long as the console.
import { formatParseError, parse, PsParseError, type Extent } from '@/lib/powershell';
import type { CommandResult, Lab, LabCommand } from '../lab-types';
import type { Binding } from './binder';
import type { CmdletContext, CmdletDef, ConsoleHost, SessionState, TaskRecord } from './cmdlet';
import { ALL_CMDLETS } from './cmdlets';
import { outDefault } from './format';
import { Interpreter, Scope } from './interpreter';
import { taskObject } from './lab-objects';
import { formatErrorRecord, PsRuntimeError, type ErrorRecordInit } from './ps-errors';
import type { PsObject } from './ps-values';
import { refusalRecord } from './refusal-record';

export { categoryOf, refusalRecord } from './refusal-record';

export type OutputRecord =
  | { stream: 'output'; text: string }
  | { stream: 'host'; text: string }
  | { stream: 'warning'; text: string }
  | { stream: 'error'; text: string; record: ErrorRecordInit };

export interface RunResult {
  records: OutputRecord[];
  /** Everything as one text, in order, as the terminal shows it. */
  text: string;
  /** The pipeline objects of the last statement (for tests and the page, e.g. Export-KeyProvider's file). */
  lastOutput: unknown[];
}

const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export class PowerCliConsole {
  readonly session: SessionState = { connection: null, tasks: [], nextTaskId: 1, files: new Map() };
  readonly variables = new Scope();
  private readonly cmdlets = new Map<string, CmdletDef>();

  constructor(
    readonly lab: Lab,
    readonly host: ConsoleHost = {},
    readonly width = 120,
  ) {
    for (const def of ALL_CMDLETS) {
      this.cmdlets.set(def.name.toLowerCase(), def);
      for (const alias of def.aliases ?? []) this.cmdlets.set(alias.toLowerCase(), def);
    }
  }

  commands(): CmdletDef[] {
    return ALL_CMDLETS;
  }

  findCmdlet(name: string): CmdletDef | undefined {
    return this.cmdlets.get(name.toLowerCase());
  }

  /** A file the page hands the console (a .p12 to import), under the path the learner will type. */
  addFile(path: string, bytes: Uint8Array): void {
    this.session.files.set(path.toLowerCase(), { path, bytes });
  }

  getFile(path: string): Uint8Array | undefined {
    return this.session.files.get(path.toLowerCase())?.bytes;
  }

  async run(input: string): Promise<RunResult> {
    const records: OutputRecord[] = [];
    let lastOutput: unknown[] = [];
    let script;
    try {
      script = parse(input);
    } catch (error) {
      if (!(error instanceof PsParseError)) throw error;
      records.push({
        stream: 'error',
        text: formatParseError(input, error),
        record: { message: error.message, category: 'ParserError', errorId: error.errorId, exception: 'ParseException', extent: error.extent },
      });
      return { records, text: joinRecords(records), lastOutput };
    }
    const interpreter = new Interpreter({
      source: input,
      findCmdlet: (name) => this.findCmdlet(name),
      invokeCmdlet: (def, binding, items, extent, it) => this.invoke(def, binding, items, extent, it, records, input),
      yieldToPage,
    });
    for (const statement of script.statements) {
      try {
        const items = await interpreter.runStatement(statement, this.variables);
        lastOutput = items;
        const text = outDefault(items, this.width);
        if (text) records.push({ stream: 'output', text });
      } catch (error) {
        if (!(error instanceof PsRuntimeError)) {
          // A fault of the console itself: reported, the lab untouched by it, the next statement still runs.
          console.error('keylab console: unexpected error', error);
          const message = `The lab's console hit an internal error: ${(error as Error)?.message ?? String(error)}`;
          const record: ErrorRecordInit = { message, category: 'NotSpecified', errorId: 'InternalError', exception: 'RuntimeException', extent: statement.extent };
          records.push({ stream: 'error', text: formatErrorRecord(input, record), record });
          continue;
        }
        records.push({ stream: 'error', text: formatErrorRecord(input, error.record), record: error.record });
        if (error.scriptTerminating) break;
      }
    }
    return { records, text: joinRecords(records), lastOutput };
  }

  private async invoke(def: CmdletDef, binding: Binding, input: unknown[], extent: Extent, interpreter: Interpreter, records: OutputRecord[], source: string): Promise<unknown[]> {
    const out: unknown[] = [];
    const lab = this.lab;
    const session = this.session;
    const host = this.host;
    const args = binding.args;
    const base = { activity: def.name, commandClass: def.commandClass, extent };
    const record = (init: Partial<ErrorRecordInit> & { message: string }): ErrorRecordInit => ({
      category: 'NotSpecified',
      errorId: 'Core_BaseCmdlet_UnknownError',
      exception: 'VimException',
      ...base,
      ...init,
    });
    let confirmAll: boolean | null = null;
    const ctx: CmdletContext = {
      def,
      lab,
      session,
      host,
      args,
      input: binding.pipelineParam ? input : [],
      view: () => lab.getView(),
      write: (value) => out.push(value),
      writeHost: (text) => records.push({ stream: 'host', text }),
      writeWarning: (text) => records.push({ stream: 'warning', text: `WARNING: ${text}` }),
      writeError: (init) => {
        const r = record(init);
        records.push({ stream: 'error', text: formatErrorRecord(source, r), record: r });
      },
      fail: (init) => {
        throw new PsRuntimeError(record(init));
      },
      shouldProcess: async (target, action) => {
        if (args.flag('WhatIf')) {
          records.push({ stream: 'host', text: `What if: Performing the operation "${action}" on target "${target}".` });
          return false;
        }
        const explicit = args.has('Confirm');
        const ask = explicit ? args.flag('Confirm') : def.shouldProcess === 'High';
        if (!ask) return true;
        if (confirmAll !== null) return confirmAll;
        if (!host.confirm) {
          ctx.fail({
            message: `PowerShell is in NonInteractive mode. Read and Prompt functionality is not available. Add -Confirm:$false to ${def.name} to run it without asking.`,
            category: 'InvalidOperation',
            errorId: 'HostFunctionNotImplemented',
            exception: 'HostException',
          });
        }
        const answer = await host.confirm('Confirm', `Are you sure you want to perform this action?\nPerforming the operation "${action}" on target "${target}".`);
        if (answer === 'yesToAll') confirmAll = true;
        if (answer === 'noToAll') confirmAll = false;
        return answer === 'yes' || answer === 'yesToAll';
      },
      invokeBlock: (block, item) => interpreter.invokeBlock(block, item, this.variables),
      connection: () => {
        const c = session.connection;
        if (!c) {
          ctx.fail({
            message: 'You are not currently connected to any servers. Please connect first using a Connect cmdlet (Connect-VIServer -Server <vCenter>).',
            category: 'ResourceUnavailable',
            errorId: 'Core_BaseCmdlet_NotConnectedError',
            exception: 'ViServerConnectionException',
          });
        }
        const view = lab.getView();
        if (c.kind === 'vcenter' && (!view.vcenter || view.vcenter.generation !== c.generation)) {
          const why =
            view.vcenterStatus === 'destroyed'
              ? `vCenter Server ${c.server} was destroyed, and with it this session.`
              : !view.vcenter
                ? `vCenter Server ${c.server} is not reachable (stopped).`
                : `vCenter Server ${c.server} was redeployed: it is a new server, and this session belonged to the old one. Connect again.`;
          if (view.vcenter && view.vcenter.generation !== c.generation) session.connection = null;
          ctx.fail({ message: why, category: 'ConnectionError', errorId: 'Client20_ConnectivityServiceImpl_Reconnect_SoapException', exception: 'ViServerConnectionException' });
        }
        return c;
      },
      runTask: (command, task) => this.runTask(ctx, command, task),
      step: (count = 1) => interpreter.count(count, extent),
      registry: () => ALL_CMDLETS,
    };
    if (def.needsConnection) ctx.connection();
    await def.run(ctx);
    return out;
  }

  private async runTask(ctx: CmdletContext, command: LabCommand, task: { name: string; target: PsObject | string; description: string; async?: boolean }): Promise<CommandResult | null> {
    const view = ctx.view();
    const targetName = String(task.target);
    const record: TaskRecord = {
      id: `Task-task-${this.session.nextTaskId++}`,
      name: task.name,
      description: task.description,
      target: targetName,
      state: 'Running',
      startTime: view.clock.now,
      finishTime: null,
      result: null,
      done: Promise.resolve({ ok: true, message: '' }),
    };
    record.done = this.lab.dispatch(command).then(
      (result) => {
        record.state = result.ok ? 'Success' : 'Error';
        record.result = result;
        record.finishTime = this.lab.getView().clock.now;
        return result;
      },
      (error: unknown) => {
        const result: CommandResult = { ok: false, code: 'FAILED', reason: (error as Error)?.message ?? String(error) };
        record.state = 'Error';
        record.result = result;
        record.finishTime = this.lab.getView().clock.now;
        return result;
      },
    );
    this.session.tasks.push(record);
    if (this.session.tasks.length > 200) this.session.tasks.shift();
    if (task.async || (ctx.def.params.some((p) => p.name === 'RunAsync') && ctx.args.flag('RunAsync'))) {
      ctx.write(taskObject(record));
      return null;
    }
    const result = await record.done;
    if (!result.ok) ctx.writeError(refusalRecord(result, task.target));
    return result;
  }
}

function joinRecords(records: OutputRecord[]): string {
  return records.map((r) => r.text).join('\n');
}

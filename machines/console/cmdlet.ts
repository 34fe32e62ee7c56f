// What a cmdlet is to the console: its name, module, parameters (with positions, pipeline input, aliases, as the real
// cmdlet declares them), what the lab supports of it (for Get-Help), and a run function that acts on the lab only
// through its context (the Lab API's dispatch, getView and queries).
import type { CommandResult, Lab, LabCommand, LabView } from '../lab-types';
import type { ErrorRecordInit } from './ps-errors';
import type { PsObject, ScriptBlockValue } from './ps-values';

export type ParamType =
  | 'string'
  | 'strings'
  | 'switch'
  | 'int'
  | 'bool'
  | 'secureString'
  | 'scriptBlock'
  /** A VIObject or its name (PowerCLI's "object by name"); the cmdlet resolves it. */
  | 'objects'
  | 'object';

export interface ParamDef {
  name: string;
  type: ParamType;
  /** 0-based position for positional binding (PowerCLI's reference shows it 1-based). */
  position?: number;
  pipeline?: boolean;
  mandatory?: boolean;
  aliases?: string[];
  /** What the parameter does in the lab (Get-Help). */
  help?: string;
}

export interface CmdletDef {
  name: string;
  module: string;
  /** For FullyQualifiedErrorId, e.g. VMware.VimAutomation.ViCore.Cmdlets.Commands.GetVM. */
  commandClass: string;
  synopsis: string;
  /** What the lab does and does not support of the real cmdlet. */
  labNotes?: string;
  examples?: string[];
  params: ParamDef[];
  /** -WhatIf and -Confirm; 'High' confirms by default, as the real cmdlet does. */
  shouldProcess?: 'High' | 'Medium';
  /** A vCenter (or host) connection is needed first. */
  needsConnection?: boolean;
  aliases?: string[];
  run(ctx: CmdletContext): Promise<void>;
}

export type ConfirmAnswer = 'yes' | 'yesToAll' | 'no' | 'noToAll';

/** What the page (or a test) offers the console: prompts for confirmation and credentials. */
export interface ConsoleHost {
  confirm?(caption: string, message: string): Promise<ConfirmAnswer>;
  promptCredential?(server: string): Promise<{ user: string; password: string } | null>;
}

export interface Connection {
  server: string;
  kind: 'vcenter' | 'host';
  /** For a connection straight to an ESXi host. */
  hostId: string | null;
  user: string;
  /** The vCenter generation connected to: a redeployed vCenter is another server, the session is gone. */
  generation: number | null;
}

export interface TaskRecord {
  id: string;
  name: string;
  description: string;
  target: string;
  state: 'Running' | 'Success' | 'Error';
  startTime: number;
  finishTime: number | null;
  result: CommandResult | null;
  done: Promise<CommandResult>;
}

export interface ConsoleFile {
  path: string;
  bytes: Uint8Array;
}

export interface SessionState {
  connection: Connection | null;
  tasks: TaskRecord[];
  nextTaskId: number;
  /** Files the console wrote (Export-KeyProvider) or the page handed it (a .p12 to import), by path. */
  files: Map<string, ConsoleFile>;
}

export interface BoundArgs {
  has(name: string): boolean;
  get(name: string): unknown;
  /** The switch's value: present, -X:$true or -X:$false. */
  flag(name: string): boolean;
}

export interface CmdletContext {
  readonly def: CmdletDef;
  readonly lab: Lab;
  readonly session: SessionState;
  readonly host: ConsoleHost;
  readonly args: BoundArgs;
  /** Pipeline input (when the cmdlet takes it). */
  readonly input: unknown[];
  view(): LabView;
  write(value: unknown): void;
  /** Host output (What if:, Write-Host). */
  writeHost(text: string): void;
  writeWarning(text: string): void;
  /** A non-terminating error: the cmdlet goes on with the next object. */
  writeError(init: Partial<ErrorRecordInit> & { message: string }): void;
  /** A terminating error: the statement stops. */
  fail(init: Partial<ErrorRecordInit> & { message: string }): never;
  /** -WhatIf / -Confirm, as ShouldProcess: false when the operation must not run. */
  shouldProcess(target: string, action: string): Promise<boolean>;
  invokeBlock(block: ScriptBlockValue, item: unknown): Promise<unknown[]>;
  /** The connection, or PowerCLI's "You are not currently connected to any servers." */
  connection(): Connection;
  /**
   * Runs a lab command as a vSphere task: with -RunAsync the Task object is written at once and Get-Task / Wait-Task
   * follow it; otherwise it waits, and a refusal is written as this cmdlet's error with the lab's own reason.
   */
  runTask(command: LabCommand, task: { name: string; target: PsObject | string; description: string; async?: boolean }): Promise<CommandResult | null>;
  /** Counts against the evaluation budget (for cmdlets that loop over many items). */
  step(count?: number): void;
  /** All cmdlets, for Get-Command and Get-Help. */
  registry(): CmdletDef[];
}

// Runtime errors as PowerShell's ErrorRecord: the cmdlet that raised it, the message, the category, the target, the
// exception type and the FullyQualifiedErrorId, printed the way Windows PowerShell (PowerCLI's home) prints them.
import { positionMessage, type Extent } from '@/lib/powershell';

export type ErrorCategory =
  | 'NotSpecified'
  | 'ObjectNotFound'
  | 'InvalidArgument'
  | 'InvalidOperation'
  | 'InvalidData'
  | 'PermissionDenied'
  | 'ConnectionError'
  | 'ResourceUnavailable'
  | 'OperationStopped'
  | 'ParserError'
  | 'NotImplemented'
  | 'NotInstalled'
  | 'InvalidResult';

export interface ErrorRecordInit {
  message: string;
  category: ErrorCategory;
  /** FullyQualifiedErrorId's first part (the cmdlet's class is added after the comma). */
  errorId: string;
  /** E.g. ParameterBindingException, VimException, CommandNotFoundException. */
  exception: string;
  /** The cmdlet's name, shown before the message and in CategoryInfo's [ ]. */
  activity?: string;
  /** The cmdlet's class, for FullyQualifiedErrorId (e.g. VMware.VimAutomation.ViCore.Cmdlets.Commands.StartVM). */
  commandClass?: string;
  target?: { name: string; type: string };
  extent?: Extent;
  /** The lab's refusal code when the error is the lab's refusal (the same the UI shows). */
  labCode?: string;
}

export class PsRuntimeError extends Error {
  /** Stops the whole input, not just the statement (the evaluation budget). */
  scriptTerminating = false;

  constructor(readonly record: ErrorRecordInit) {
    super(record.message);
    this.name = 'PsRuntimeError';
  }
}

export function formatErrorRecord(source: string, record: ErrorRecordInit): string {
  const lines: string[] = [];
  lines.push(record.activity ? `${record.activity} : ${record.message}` : record.message);
  if (record.extent) lines.push(positionMessage(source, record.extent));
  const target = record.target ? `${record.target.name}:${record.target.type}` : ':';
  // A command that was not found has no cmdlet to name in CategoryInfo.
  const activity = record.exception === 'CommandNotFoundException' ? '' : (record.activity ?? '');
  lines.push(`    + CategoryInfo          : ${record.category}: (${target}) [${activity}], ${record.exception}`);
  lines.push(`    + FullyQualifiedErrorId : ${record.errorId}${record.commandClass ? `,${record.commandClass}` : ''}`);
  return lines.join('\n');
}

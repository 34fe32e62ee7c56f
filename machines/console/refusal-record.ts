// A lab refusal as a cmdlet's ErrorRecord: the reason is the lab's own (the precondition's wording, the same the UI
// shows beside a disabled button), the lab's refusal code is the error id, and the category follows from the code.
import type { CommandResult } from '../lab-types';
import type { ErrorCategory, ErrorRecordInit } from './ps-errors';
import { PsObject } from './ps-values';

/** How PowerShell's categories follow from the lab's refusal codes. */
export function categoryOf(code: string): ErrorCategory {
  if (code === 'NO_PERMISSION') return 'PermissionDenied';
  if (code.startsWith('NO_SUCH') || code === 'VM_NOT_REGISTERED' || code === 'NO_FILE') return 'ObjectNotFound';
  if (code === 'VCENTER_DOWN' || code === 'VCENTER_DESTROYED') return 'ConnectionError';
  if (code === 'KEY_UNAVAILABLE' || code === 'NKP_UNAVAILABLE') return 'ResourceUnavailable';
  return 'InvalidOperation';
}

/** The lab's refusal as the cmdlet's error: the same reason the UI shows, the lab's code in the error id. */
export function refusalRecord(result: Extract<CommandResult, { ok: false }>, target: PsObject | string): Partial<ErrorRecordInit> & { message: string } {
  return {
    message: result.reason,
    category: categoryOf(result.code),
    errorId: result.code,
    exception: 'VimException',
    labCode: result.code,
    target: { name: String(target), type: target instanceof PsObject ? `${target.typeName}Impl` : 'String' },
  };
}


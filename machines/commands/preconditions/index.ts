// A command's rules, once: checkCommand(view, command) is a pure function of the LabView that returns vSphere's
// refusal (code and wording) or null. dispatch runs it before the handler; the UI takes a disabled control's reason
// from it; lessons and a console may ask it too. Rules that need what the view does not hold (the VM's files, whether
// a KMS answers or a host can get a key) stay in the handlers.
import { asRefusal, type Refusal, type RefusalCode } from '../lab-refusal';
import type { LabCommand, LabView } from '../../lab-types';
import { hostChecks } from './hosts';
import { providerChecks } from './providers';
import { vcenterChecks } from './vcenter';
import { vmEncryptionChecks } from './vm-encryption';
import { vmLifecycleChecks } from './vm-lifecycle';
import { vmLimitChecks } from './vm-limits';

export type { Refusal, RefusalCode };

type Check<C extends LabCommand> = (view: LabView, command: C) => void;
type Checks = { [T in LabCommand['type']]?: Check<Extract<LabCommand, { type: T }>> };

const CHECKS: Checks = { ...vcenterChecks, ...providerChecks, ...hostChecks, ...vmLifecycleChecks, ...vmEncryptionChecks, ...vmLimitChecks };

/** vSphere's refusal of `command` in the world `view` shows, or null when nothing the view holds forbids it. */
export function checkCommand(view: LabView, command: LabCommand): Refusal | null {
  const check = CHECKS[command.type] as Check<LabCommand> | undefined;
  return check ? asRefusal(() => check(view, command)) : null;
}

/**
 * Refusals that mean there is nothing to do: the object already is as the command would leave it, or lacks what it
 * would act on. The UI disables such a control with the reason; other refusals it leaves to a click, so the learner
 * meets vSphere's own refusal (VM must be off, no privilege...) beside the button.
 */
export const NOTHING_TO_DO: readonly RefusalCode[] = [
  'ALREADY_ON',
  'ALREADY_OFF',
  'ALREADY_ENCRYPTED',
  'NOT_ENCRYPTED',
  'NOT_LOCKED',
  'ALREADY_SET',
  'VTPM_PRESENT',
  'NO_VTPM',
  'HOST_ON',
  'HOST_OFF',
  'HOST_NOT_CONNECTED',
  'HOST_NOT_DISCONNECTED',
  'HOST_IN_INVENTORY',
  'HOST_NOT_IN_INVENTORY',
  'NO_TPM',
  'HOST_CONFIG_NOT_LOCKED',
  'VCENTER_EXISTS',
  'VCENTER_NOT_RUNNING',
  'VCENTER_NOT_STOPPED',
];

/** The reason to disable a control for `command`: checkCommand's reason when its code is one of `codes`, else null. */
export function disabledReason(view: LabView, command: LabCommand, codes: readonly RefusalCode[] = NOTHING_TO_DO): string | null {
  const refusal = checkCommand(view, command);
  return refusal && codes.includes(refusal.code) ? refusal.reason : null;
}

// Errors of the VM data plane, each with a stable `code` the control plane branches on and a message a learner reads.
import { KeylabError } from '@/lib/keylab-error';

export type VmDataErrorCode =
  /** The VM folder, its .vmx, its descriptor or its disk is not there. */
  | 'VM_FILES_MISSING'
  /** A VM file is there but cannot be understood, or its parts contradict each other. */
  | 'VM_FILES_CORRUPT'
  /** The KEK given does not open this VM's keys (wrong key, or the wrapped bytes were altered). */
  | 'WRONG_KEK'
  /** The operation needs an encrypted VM and this one is not (or the reverse). */
  | 'NOT_ENCRYPTED'
  | 'ALREADY_ENCRYPTED'
  /** An interrupted encrypt, decrypt or deep re-key must be resumed (with its own keys) before anything else. */
  | 'OPERATION_PENDING';

export class VmDataError extends KeylabError<VmDataErrorCode> {}

/** Wrong KEK: never a garbage key, always this error, naming the VM and the key ID that was expected. */
export class WrongKekError extends VmDataError {
  constructor(
    readonly vmName: string,
    readonly keyId: string,
    options?: ErrorOptions,
  ) {
    super(
      'WRONG_KEK',
      `The key given cannot open the keys of VM "${vmName}": it is not key ${keyId}, or the VM's files were altered. ` +
        'Nothing was decrypted.',
      options,
    );
  }
}

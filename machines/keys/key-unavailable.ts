// Why a host cannot get a VM's key: the refusal carries vSphere's UnavailableKeyReason so the VM can be shown locked.
import { LabRefusal } from '../commands/lab-refusal';
import type { UnavailableKeyReason } from '../lab-types';

export class KeyUnavailable extends LabRefusal {
  constructor(
    readonly keyReason: UnavailableKeyReason,
    reason: string,
  ) {
    super('KEY_UNAVAILABLE', reason);
    this.name = 'KeyUnavailable';
  }
}

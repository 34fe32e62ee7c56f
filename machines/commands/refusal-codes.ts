// Every code a lab command can be refused or fail with, as closed unions: a mistyped code does not compile, and the
// UI, lessons and a console can branch on them knowing the whole list.
import type { CryptoErrorCode } from '@/lib/crypto/errors';
import type { GuestFsErrorCode } from '@/lib/guest/guest-fs';
import type { StorageErrorCode } from '@/lib/storage/errors';
import type { VmDataErrorCode } from '../data-plane/errors';

/** vSphere's rules (and the lab's) a command can break: a LabRefusal's code. */
export type RefusalCode =
  // vCenter Server
  | 'VCENTER_DESTROYED'
  | 'VCENTER_DOWN'
  | 'VCENTER_EXISTS'
  | 'VCENTER_NOT_RUNNING'
  | 'VCENTER_NOT_STOPPED'
  | 'NO_SUCH_USER'
  | 'NO_PERMISSION'
  // Key providers and KMS nodes
  | 'BAD_NAME'
  | 'PROVIDER_EXISTS'
  | 'NO_KMS'
  | 'NO_SUCH_PROVIDER'
  | 'NO_DEFAULT_PROVIDER'
  | 'NKP_NOT_BACKED_UP'
  | 'NKP_KDK_MISSING'
  /** Restore from backup asked without a .p12 file. */
  | 'NO_FILE'
  | 'NKP_UNAVAILABLE'
  | 'TPM_REQUIRED'
  | 'NO_SUCH_KMS'
  | 'NO_SUCH_KEY'
  /** The KMS node is already in the state the fault would bring (down, hung, up). */
  | 'KMS_ALREADY'
  /** The KMS node was lost for good: nothing reaches it, nothing brings it back. */
  | 'KMS_LOST'
  /** The key's KMIP state does not allow the KMS administrator's act (revoke an Active key, reactivate a Deactivated one). */
  | 'KMS_KEY_STATE'
  /** vCenter already runs that vSphere release, or the lab has no such release. */
  | 'SAME_VERSION'
  | 'BAD_VERSION'
  // NKP restore passes on why the .p12 did not open
  | CryptoErrorCode
  // ESXi hosts
  | 'NO_SUCH_HOST'
  | 'HOST_OFF'
  | 'HOST_ON'
  | 'HOST_NOT_CONNECTED'
  | 'HOST_NOT_DISCONNECTED'
  | 'HOST_NOT_IN_INVENTORY'
  | 'HOST_IN_INVENTORY'
  | 'HOST_NOT_IN_VCENTER'
  | 'NO_TPM'
  /** The host's configuration is locked (its TPM cleared or replaced): it does not boot until recovered. */
  | 'HOST_CONFIG_LOCKED'
  | 'HOST_CONFIG_NOT_LOCKED'
  | 'NO_RECOVERY_KEY'
  | 'BAD_RECOVERY_KEY'
  | 'RECOVERY_KEY_WRONG'
  | 'ENCRYPTED_VMS_ON_HOST'
  // VMs
  | 'NO_SUCH_VM'
  | 'VM_NOT_REGISTERED'
  | 'ALREADY_REGISTERED'
  | 'ALREADY_ON'
  | 'ALREADY_OFF'
  | 'ALREADY_ENCRYPTED'
  | 'NOT_ENCRYPTED'
  | 'NOT_LOCKED'
  | 'NO_HOST'
  | 'SAME_HOST'
  /** A migration's destination host cannot get the VM's key (the VM keeps running where it was). */
  | 'MIGRATE_KEY_UNAVAILABLE'
  | 'VM_POWERED_ON'
  | 'VM_POWERED_OFF'
  | 'VM_RUNNING_ELSEWHERE'
  | 'VM_HAS_SNAPSHOTS'
  | 'VM_LOCKED'
  | 'VM_BUSY'
  | 'OPERATION_PENDING'
  | 'VTPM_PRESENT'
  | 'NO_VTPM'
  | 'KEY_UNAVAILABLE'
  | 'PARTIAL'
  /** An operation the material says an encrypted VM does not support (clone, OVF export, FT...). */
  | 'ENCRYPTED_VM_UNSUPPORTED'
  | 'NO_SUCH_DATASTORE'
  | 'SAME_DATASTORE'
  | 'NAME_TAKEN'
  | 'ALREADY_SET'
  // Lab time
  | 'BAD_DURATION';

/** Why a command failed rather than was refused: errors of the data plane, crypto, storage and the guest's file system. */
export type FailureCode =
  | VmDataErrorCode
  | CryptoErrorCode
  | StorageErrorCode
  | `GUEST_${GuestFsErrorCode}`
  /** The lab was closed while the command ran. */
  | 'LAB_CLOSED'
  /** Redo with nothing taken back, or a step the lab cannot do again by itself (a restore of an outside file). */
  | 'NOTHING_TO_REDO'
  | 'NOT_REPLAYABLE'
  /** Anything unexpected (a bug): the reason is the error's message. */
  | 'FAILED';

/** A CommandResult's code when it is not ok. */
export type ResultCode = RefusalCode | FailureCode;

// The one error every VMware file-format parser and renderer in this folder throws, with a code a machine can branch on.

export type VmwareFormatErrorCode = 'BAD_KEY_LOCATOR' | 'BAD_VMX' | 'BAD_VMDK_DESCRIPTOR';

export class VmwareFormatError extends Error {
  readonly code: VmwareFormatErrorCode;

  constructor(code: VmwareFormatErrorCode, message: string) {
    super(message);
    this.name = 'VmwareFormatError';
    this.code = code;
  }
}

// A vTPM's state in the VM's .nvram file: its secrets sealed under the VM home's KEK, so the datastore holds only
// ciphertext and the VM cannot start (nor its vTPM be read) without that key. vSphere's "VM home" encryption.
import { openUnderKek, sealUnderKek } from './encrypted-config';
import { VmDataError } from './errors';

/** What a vTPM keeps (the lab's stand-in for its endorsement and storage seeds): random, fixed for its lifetime. */
export interface VtpmState {
  vmId: string;
  endorsementSeed: string;
  storageSeed: string;
}

const encoder = new TextEncoder();
const aadFor = (vmId: string) => encoder.encode(`keylab/nvram/v1|${vmId}`);
const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export function newVtpmState(vmId: string): VtpmState {
  return { vmId, endorsementSeed: hex(crypto.getRandomValues(new Uint8Array(32))), storageSeed: hex(crypto.getRandomValues(new Uint8Array(32))) };
}

/** The .nvram's text: a header saying what it is, the key ID it is sealed under and the sealed bytes (base64). */
export async function sealNvram(state: VtpmState, kek: CryptoKey, keyId: string): Promise<string> {
  const sealed = await sealUnderKek(encoder.encode(JSON.stringify(state)), kek, aadFor(state.vmId));
  return (
    '# NVRAM of a VM with a Virtual TPM. Its vTPM state is encrypted with the VM home key (AES-256-GCM, the file key\n' +
    '# wrapped by the KEK with AES-KW): without that key this file is only the ciphertext below.\n' +
    `encryption.keyId = "${keyId}"\n` +
    `encryption.nvram = "${sealed}"\n`
  );
}

/** The vTPM state, opened with the VM's KEK; WrongKekError for a wrong key, VM_FILES_CORRUPT for a damaged file. */
export async function openNvram(text: string, kek: CryptoKey, expect: { vmId: string; vmName: string; keyId: string }): Promise<VtpmState> {
  const corrupt = (why: string) => new VmDataError('VM_FILES_CORRUPT', `The .nvram of VM "${expect.vmName}" is damaged: ${why}.`);
  const keyId = /^encryption\.keyId = "([^"]*)"$/m.exec(text)?.[1];
  const sealed = /^encryption\.nvram = "([^"]*)"$/m.exec(text)?.[1];
  if (keyId === undefined || sealed === undefined) throw corrupt('it has no sealed vTPM state');
  if (keyId !== expect.keyId) throw corrupt(`it is sealed under key ${keyId}, not the VM's key ${expect.keyId}`);
  const state = JSON.parse(new TextDecoder().decode(await openUnderKek(sealed, kek, aadFor(expect.vmId), expect, corrupt))) as VtpmState;
  if (state.vmId !== expect.vmId) throw corrupt(`it belongs to VM ${state.vmId}`);
  return state;
}

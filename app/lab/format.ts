// How the lab writes times, sizes and vSphere's state names.
import type { HostCryptoState, HostView, KmsNodeView, LabView, NativeProviderView, VmView } from '@/machines/lab-types';

/** Lab time as h:mm:ss since the lab started. */
export function formatLabTime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** A countdown as m:ss (rounded up, so it reads 0:01 until the very end). */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

export const nkpStatusLabel: Record<NativeProviderView['status'], string> = {
  notBackedUp: 'Not backed up',
  warning: 'Warning',
  active: 'Active',
};

export const cryptoStateLabel: Record<HostCryptoState, string> = {
  incapable: 'incapable (encryption mode off)',
  prepared: 'prepared',
  safe: 'safe (encryption mode on)',
  pendingIncapable: 'pendingIncapable (until reboot)',
};

export const kmsStatusLabel: Record<KmsNodeView['status'], string> = {
  up: 'Up',
  down: 'Down (connection refused)',
  hung: 'Hung (not responding)',
  lost: 'Lost for good',
};

export function hostStateWords(host: HostView): string[] {
  const words: string[] = [];
  if (host.configuration.locked) words.push('stopped at boot, its configuration locked (awaiting its recovery key)');
  else if (host.power === 'off') words.push('powered off');
  if (host.connection === 'disconnected') words.push('disconnected');
  if (host.connection === 'removed') words.push('not in vCenter');
  return words;
}

export function vmStateWords(vm: VmView): string[] {
  const words: string[] = [];
  words.push(vm.power === 'on' ? 'powered on' : 'powered off');
  if (vm.encryption) words.push('encrypted');
  if (vm.locked) words.push('locked');
  if (!vm.registered) words.push('not registered');
  return words;
}

export function shortId(id: string): string {
  return id.length > 13 ? `${id.slice(0, 8)}…` : id;
}

/** The inventory's name for a vCenter that is not running: down (database intact) or destroyed (database lost). */
export function absentVcenterLabel(status: LabView['vcenterStatus']): string {
  return status === 'stopped' ? 'vCenter Server (down)' : 'vCenter Server (destroyed)';
}

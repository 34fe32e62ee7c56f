// Small builders the lessons share: their header from the catalogue, and for preludes and "show me" actions one lab
// command, a Native Key Provider made usable (add, back up, optionally default), a VM encrypted with a provider, the
// disaster the doomsday lessons start from (hosts reinstalled with no recovery key kept, vCenter lost).
import type { LabCommand } from '@/machines/lab-types';
import { lessonEntry, type LessonEntry } from './index';
import type { LessonAction } from './lesson-types';

/**
 * A lesson's id, order, title, goal and time, as the catalogue (index.ts) lists them: the home page shows them before
 * any lesson file loads, so they are written there once and the lesson file names its entry.
 */
export function catalogued(id: string): LessonEntry {
  const entry = lessonEntry(id);
  if (!entry) throw new Error(`Lesson "${id}" is not in the catalogue: add its entry to LESSONS in lib/lessons/index.ts.`);
  return entry;
}

export const cmd = (command: LabCommand): LessonAction => ({ kind: 'command', command });

/** "Add Native Key Provider", "Back up" (the only way it becomes usable) and, when asked, "Set as default". */
export function nkpReady(
  name: string,
  password: string,
  opts: { tpmOnly?: boolean; handout?: boolean; passwordLost?: boolean; makeDefault?: boolean } = {},
): LessonAction[] {
  return [
    cmd({ type: 'provider.addNative', name, tpmOnly: opts.tpmOnly ?? true }),
    {
      kind: 'backupNkp',
      providerName: name,
      password,
      ...(opts.handout ? { handout: true } : {}),
      ...(opts.passwordLost ? { passwordLost: true } : {}),
    },
    ...(opts.makeDefault ? [cmd({ type: 'provider.setDefault', providerId: name })] : []),
  ];
}

/** "Power off" then "Encrypt" with the provider: vSphere encrypts a VM only while it is powered off. */
export const encryptWith = (vmId: string, providerId: string): LessonAction[] => [
  cmd({ type: 'vm.powerOff', vmId }),
  cmd({ type: 'vm.encrypt', vmId, providerId }),
];

/**
 * The disaster behind doomsday B and the traps: the hosts' TPMs were cleared (a firmware update), so they stopped at
 * boot awaiting their recovery keys; nobody had kept them, so ESXi was reinstalled and the hosts hold nothing (a host
 * whose TPM was cleared keeps its KDK only if its recovery key was kept). Then vCenter was lost. The hosts must be
 * TPM hosts (a host without one has no TPM to clear).
 */
export const hostsReinstalledThenVcenterLost = (reinstalled: readonly string[]): LessonAction[] => [
  ...reinstalled.map((hostId) => cmd({ type: 'host.clearTpm', hostId })),
  ...reinstalled.map((hostId) => cmd({ type: 'host.reinstall', hostId })),
  cmd({ type: 'vcenter.destroy' }),
];

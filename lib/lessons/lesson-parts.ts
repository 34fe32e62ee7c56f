// Small builders the lessons share for their preludes and "show me" actions: one lab command, a Native Key Provider
// made usable (add, back up, optionally default).
import type { LabCommand } from '@/machines/lab-types';
import type { LessonAction } from './lesson-types';

export const cmd = (command: LabCommand): LessonAction => ({ kind: 'command', command });

/** "Add Native Key Provider", "Back up" (the only way it becomes usable) and, when asked, "Set as default". */
export function nkpReady(
  name: string,
  password: string,
  opts: { tpmOnly?: boolean; handout?: boolean; makeDefault?: boolean } = {},
): LessonAction[] {
  return [
    cmd({ type: 'provider.addNative', name, tpmOnly: opts.tpmOnly ?? true }),
    { kind: 'backupNkp', providerName: name, password, ...(opts.handout ? { handout: true } : {}) },
    ...(opts.makeDefault ? [cmd({ type: 'provider.setDefault', providerId: name })] : []),
  ];
}

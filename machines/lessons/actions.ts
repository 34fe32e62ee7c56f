// Runs lesson actions (a prelude, or "show me") through the lab's public API, the same dispatch as the learner's clicks.
import { errorMessage } from '@/lib/error-message';
import type { LessonAction } from '@/lib/lessons/lesson-types';
import type { Lab } from '../lab-types';
import type { LessonHandout } from './progress';

export interface ActionsOutcome {
  ok: boolean;
  /** What each action did, in the lab's own words (the first refusal ends the run). */
  messages: string[];
  /** A backup made with `handout: true`: the .p12 the learner is given. */
  handout: LessonHandout | null;
}

export async function runActions(lab: Lab, actions: LessonAction[], handout: LessonHandout | null): Promise<ActionsOutcome> {
  const messages: string[] = [];
  let kept = handout;
  for (const action of actions) {
    if (action.kind === 'command') {
      const result = await lab.dispatch(action.command);
      if (!result.ok) return { ok: false, messages: [...messages, result.reason], handout: kept };
      messages.push(result.message);
    } else if (action.kind === 'backupNkp') {
      const provider = lab.getView().vcenter?.keyProviders.find((p) => p.name === action.providerName && p.kind === 'native');
      if (!provider) return { ok: false, messages: [...messages, `There is no Native Key Provider named ${action.providerName} to back up.`], handout: kept };
      try {
        const { fileName, bytes } = await lab.exportNkpBackup(provider.id, action.password);
        messages.push(`Backed up ${action.providerName} to ${fileName}.`);
        if (action.handout) {
          // A lost password is not kept anywhere the learner (or "show me") could find it.
          kept = action.passwordLost
            ? { providerName: action.providerName, fileName, password: '', passwordLost: true, bytes }
            : { providerName: action.providerName, fileName, password: action.password, bytes };
        }
      } catch (error) {
        return { ok: false, messages: [...messages, errorMessage(error)], handout: kept };
      }
    } else {
      if (!kept) return { ok: false, messages: [...messages, 'There is no backup file to restore from in this lesson.'], handout: kept };
      const result = await lab.restoreNkpFromBackup(kept.bytes, kept.password);
      if (!result.ok) return { ok: false, messages: [...messages, result.reason], handout: kept };
      messages.push(result.message);
    }
  }
  return { ok: true, messages, handout: kept };
}

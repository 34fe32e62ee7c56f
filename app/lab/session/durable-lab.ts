// The lab as the UI gets it: a command's result arrives once its change is saved, so whatever the learner has seen
// happen survives a reload straight after (the lab's own save is debounced, and a save started while the page
// unloads may never land). The sandbox's session and each lesson's hand their lab to React through it.
import type { Lab } from '@/machines/lab-types';

/** `what` names the lab in the console when a save fails ("the lab", "the lesson lab"). */
export function durable(lab: Lab, what = 'the lab'): Lab {
  const saveAfter = async <T>(result: T): Promise<T> => {
    try {
      await lab.save();
    } catch (err) {
      console.error(`keylab: saving ${what} failed`, err);
    }
    return result;
  };
  return {
    ...lab,
    getView: lab.getView,
    subscribe: lab.subscribe,
    dispatch: async (command) => saveAfter(await lab.dispatch(command)),
    restoreNkpFromBackup: async (p12, password, options) => saveAfter(await lab.restoreNkpFromBackup(p12, password, options)),
    // Exporting marks the provider backed up, which is a change too.
    exportNkpBackup: async (providerId, password) => saveAfter(await lab.exportNkpBackup(providerId, password)),
  };
}

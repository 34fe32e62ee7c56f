// Lesson ids come from the URL: only the catalogue's own lessons are found, never a member every object inherits,
// and a hostile id is refused without loading anything.
import { describe, expect, it } from 'vitest';
import { availableLessons, hasLesson, lessonEntry, loadLesson } from './index';

const HOSTILE = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', '../', '..%2F', '%00', '\u0000', '', ' ', 'x', 'NKP-SETUP', 'nkp-setup/'];

describe('looking a lesson up by its id', () => {
  it('finds every catalogued lesson', async () => {
    for (const entry of availableLessons()) {
      expect(hasLesson(entry.id)).toBe(true);
      expect(lessonEntry(entry.id)).toBe(entry);
      expect((await loadLesson(entry.id)).id).toBe(entry.id);
    }
  });

  it.each(HOSTILE)('refuses %j: no inherited member, no entry, a clear message', async (id) => {
    expect(hasLesson(id)).toBe(false);
    expect(lessonEntry(id)).toBeUndefined();
    await expect(loadLesson(id)).rejects.toThrow(/There is no lesson .*catalogue/);
  });
});

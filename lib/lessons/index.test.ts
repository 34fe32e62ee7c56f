// The light catalogue must match each lesson file it loads (id, order, title, goal, time) and list the lessons in order.
import { describe, expect, it } from 'vitest';
import { availableLessons, LESSONS, loadLesson } from './index';

describe('the lesson catalogue', () => {
  it('lists twelve lessons in order, with unique ids', () => {
    expect(LESSONS.map((l) => l.order)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(new Set(LESSONS.map((l) => l.id)).size).toBe(12);
  });

  it('each available lesson’s metadata is the lesson file’s own', async () => {
    expect(availableLessons().map((l) => l.id)).toEqual(expect.arrayContaining(['nkp-setup', 'doomsday-a']));
    for (const entry of availableLessons()) {
      const lesson = await loadLesson(entry.id);
      expect({ id: lesson.id, order: lesson.order, title: lesson.title, goal: lesson.goal, estimatedMinutes: lesson.estimatedMinutes }).toEqual(entry);
      expect(new Set(lesson.steps.map((s) => s.id)).size).toBe(lesson.steps.length);
    }
  });

  it('an unknown lesson is refused with where to go instead', async () => {
    await expect(loadLesson('no-such-lesson')).rejects.toThrow(/no lesson "no-such-lesson".*catalogue/);
  });
});

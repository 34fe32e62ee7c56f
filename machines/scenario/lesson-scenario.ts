// A catalogue lesson's start as a version-2 scenario: its world and its prelude (a lesson's prelude steps are the
// scenario prelude's), its title and goal as the briefing, its id as the lesson. The builder starts from these, and
// the round-trip test holds every catalogue lesson's start expressible as a scenario.
import type { Lesson } from '@/lib/lessons/lesson-types';
import { readScenario, type ScenarioV2 } from '@/lib/scenario';

export function lessonStartScenario(lesson: Lesson): ScenarioV2 {
  const world: Partial<ReturnType<Lesson['scenario']>> = { ...lesson.scenario() };
  delete world.version;
  delete world.title;
  delete world.description;
  return readScenario({
    version: 2,
    title: lesson.title.slice(0, 64),
    briefing: lesson.goal,
    lessonId: lesson.id,
    world,
    prelude: lesson.prelude,
  });
}

// Version 1 → version 2: a version-1 scenario was a world with its faults as fields (a KMS node down or hung, a host
// off) and a description. It becomes the same world, its description the briefing, with an empty prelude: the faults
// stay fields of the world, which the lab applies as it builds it, exactly as version 1 did.
import { ScenarioError, parseScenario } from './scenario-schema';
import type { ScenarioV2 } from './scenario-v2';

export function migrateV1(data: unknown): ScenarioV2 {
  let v1;
  try {
    v1 = parseScenario(data);
  } catch (error) {
    if (error instanceof ScenarioError) throw new ScenarioError(`${error.message} (a version-1 scenario)`, error.problems);
    throw error;
  }
  const world: Partial<typeof v1> = { ...v1 };
  delete world.version;
  delete world.title;
  delete world.description;
  return { version: 2, title: v1.title, briefing: v1.description, world: world as ScenarioV2['world'], prelude: [] };
}

// Scenario format version 2: what a link or a file carries. A starting world (the version-1 body: vCenter, KMS nodes,
// standard providers, hosts, datastores, VMs with their power, encryption and guest files) plus a prelude of ordinary
// lab commands that bring it to where the scenario begins (faults applied, an NKP added and backed up, VMs encrypted
// with it), as the lessons build their starts; a title, a briefing, an optional lesson, seed and per-learner variation.
// Never key material: a start that needs an NKP backup makes its .p12 in the prelude and hands it to the learner.
import * as z from 'zod/mini';
import { migrateV1 } from './migrate-v1';
import { objectId, preludeStepSchema, type PreludeStep } from './prelude-commands';
import { ScenarioError, scenarioSchema, type Scenario } from './scenario-schema';
import { checkPreludeReferences } from './prelude-references';
import { issueText } from './issue-text';

export const SCENARIO_FORMAT = 2;

/** The world a scenario starts from: the version-1 body, validated by the same schema the lab builds from. */
export type ScenarioWorld = Omit<Scenario, 'version' | 'title' | 'description'>;

const text = (max: number) => z.string().check(z.maxLength(max, `must be at most ${max} characters`));
const title = z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(64, 'must be at most 64 characters'));

/** Which parts of the world change per learner, drawn from the learner's seed (variants.ts). */
export const variationSchema = z.strictObject({
  /** Hosts, VMs and KMS nodes get names (and ids) of the learner's own, everywhere they appear. */
  names: z.optional(z.boolean()),
  /** Exactly one of these hosts has no TPM 2.0 (the others have one). */
  tpmlessHost: z.optional(z.strictObject({ among: z.array(objectId).check(z.minLength(2, 'name at least two hosts to choose from'), z.maxLength(32)) })),
  /** One of these KMS nodes fails once the prelude has run. */
  failingKmsNode: z.optional(
    z.strictObject({ among: z.array(objectId).check(z.minLength(1), z.maxLength(8)), fault: z.enum(['down', 'hung']) }),
  ),
  /** Guest files' {{name}}, {{card}}, {{number}} and {{word}} are filled with the learner's own values. */
  guestData: z.optional(z.boolean()),
});
export type Variation = z.output<typeof variationSchema>;

/** Any JSON value, bounded in depth: a lesson step's check expression, read by the lesson runner. */
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
function isJson(value: unknown, depth = 0): value is Json {
  if (depth > 12) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isJson(v, depth + 1));
  if (typeof value === 'object') return Object.values(value).every((v) => isJson(v, depth + 1));
  return false;
}

/**
 * A step of the scenario's own lesson. `check` is an expression of the lessons' check vocabulary, kept here as JSON:
 * its interpreter lives with the lesson runner (machines/lessons), which refuses an expression it cannot read.
 */
export const scenarioStepSchema = z.strictObject({
  id: objectId,
  title,
  instructions: text(2000),
  hints: z._default(z.array(text(500)).check(z.maxLength(8)), []),
  why: z.optional(text(1000)),
  check: z.custom<Json>((v) => isJson(v), 'must be a check expression (plain JSON, at most 12 levels deep)'),
});

const envelopeSchema = z.strictObject({
  version: z.literal(SCENARIO_FORMAT),
  title,
  briefing: z._default(text(4000), ''),
  /** A catalogue lesson whose steps run on this scenario's world. */
  lessonId: z.optional(z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'must be a lesson id such as nkp-setup'))),
  /** The scenario's own lesson (instead of, or without, a catalogue lesson). */
  steps: z.optional(z.array(scenarioStepSchema).check(z.maxLength(20))),
  /** Seeds the lab's ids (provider ids, key IDs), so the same scenario names every key the same. Key bytes stay random. */
  seed: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, dash or underscore'))),
  variation: z.optional(variationSchema),
  world: z.unknown(),
  prelude: z._default(z.array(preludeStepSchema).check(z.maxLength(1000, 'a prelude has at most 1,000 steps')), []),
});

/** A scenario of a format this keylab does not read yet. */
export class NewerScenarioError extends ScenarioError {
  constructor(readonly version: number) {
    super(`This scenario was made by a newer keylab (format version ${version}); this keylab reads versions 1 and 2. Open it with a newer keylab.`);
  }
}

export type ScenarioV2 = Omit<z.output<typeof envelopeSchema>, 'world'> & { world: ScenarioWorld; prelude: PreludeStep[] };
export type ScenarioV2Input = Omit<z.input<typeof envelopeSchema>, 'world'> & { world: unknown };
export type ScenarioStep = z.output<typeof scenarioStepSchema>;

const where = (path: PropertyKey[], prefix: string) => [prefix, ...path.map(String)].filter(Boolean).join('.') || 'scenario';

function refuse(problems: string[]): never {
  throw new ScenarioError(`The scenario is not valid: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? '; …' : ''}`, problems);
}

/** The world as the lab builds it: a version-1 scenario (its title is the scenario's). */
export function worldScenario(scenario: Pick<ScenarioV2, 'title' | 'world'>): Scenario {
  return { version: 1, title: scenario.title, description: '', ...scenario.world };
}

/**
 * Reads a scenario of any version this keylab knows: version 1 is migrated (migrate-v1.ts), version 2 validated, a
 * newer one refused saying so. Throws a ScenarioError whose problems name each place at fault.
 */
export function readScenario(data: unknown): ScenarioV2 {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ScenarioError('This is not a keylab scenario: it holds no scenario object.');
  const version = (data as { version?: unknown }).version;
  if (version === 1) return migrateV1(data);
  if (typeof version === 'number' && Number.isInteger(version) && version > SCENARIO_FORMAT) {
    throw new NewerScenarioError(version);
  }
  if (version !== SCENARIO_FORMAT) throw new ScenarioError(`This is not a keylab scenario: its format version is ${JSON.stringify(version) ?? 'missing'} (this keylab reads versions 1 and 2).`);

  const envelope = envelopeSchema.safeParse(data);
  const problems = envelope.success ? [] : envelope.error.issues.map((i) => `${where(i.path, '')}: ${issueText(i, data)}`);
  const worldData = (data as { world?: unknown }).world;
  if (typeof worldData !== 'object' || worldData === null || Array.isArray(worldData)) refuse([...problems, 'world: must be the starting world (an object)']);
  // The world is the version-1 body: validated by that schema, so a field added there (e.g. vCenter's version) is one here.
  const world = scenarioSchema.safeParse({ ...worldData, version: 1, title: 'world', description: '' });
  if (!world.success) problems.push(...world.error.issues.map((i) => `${where(i.path, 'world')}: ${issueText(i, worldData)}`));
  if (!envelope.success || !world.success) refuse(problems);

  const body: Partial<Scenario> = { ...world.data };
  delete body.version;
  delete body.title;
  delete body.description;
  const scenario: ScenarioV2 = { ...envelope.data, world: body as ScenarioWorld };
  const references = checkPreludeReferences(scenario);
  if (references.length) refuse(references);
  return scenario;
}

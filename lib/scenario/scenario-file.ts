// The same scenario as a JSON file: exported readable (indented), imported with the same checks and messages as a link.
import { MAX_SCENARIO_BYTES, ScenarioLinkError, scenarioFromJsonText } from './scenario-link';
import type { ScenarioV2 } from './scenario-v2';

export function scenarioFileText(scenario: ScenarioV2): string {
  return `${JSON.stringify(scenario, null, 2)}\n`;
}

/** A file name from the title: keylab-scenario-<title in lowercase words>.json. */
export function scenarioFileName(scenario: Pick<ScenarioV2, 'title'>): string {
  const slug = scenario.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 48);
  return `keylab-scenario-${slug || 'untitled'}.json`;
}

/** Reads an imported file's bytes; a file too large, not text, not JSON or not a valid scenario is refused saying so. */
export function scenarioFromFile(bytes: Uint8Array): ScenarioV2 {
  if (bytes.byteLength > MAX_SCENARIO_BYTES) {
    throw new ScenarioLinkError('TOO_LARGE', `This file is ${Math.ceil(bytes.byteLength / 1024)} KiB; a scenario file is at most ${MAX_SCENARIO_BYTES / 1024} KiB.`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ScenarioLinkError('INVALID', 'This file is not a keylab scenario: it is not text.');
  }
  return scenarioFromJsonText(text, 'file');
}

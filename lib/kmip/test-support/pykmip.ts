// Runs PyKMIP (Debian's python3-pykmip, /usr/bin/python3) for the interop tests: whether it is there, and a batch of
// jobs for lib/kmip/test-support/pykmip_bridge.py in one Python process.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Neutral } from './neutral';

export const PYTHON = '/usr/bin/python3';
const BRIDGE = fileURLToPath(new URL('./pykmip_bridge.py', import.meta.url));

/** The message the tests skip with; CI installs python3-pykmip (.ci/run), so there they always run. */
export const PYKMIP_MISSING = 'python3-pykmip is not installed (apt-get install python3-pykmip): PyKMIP interop tests skipped';

let available: boolean | undefined;
export function pykmipAvailable(): boolean {
  available ??= spawnSync(PYTHON, ['-c', 'import kmip'], { stdio: 'ignore' }).status === 0;
  return available;
}

export type BridgeJob =
  | { job: 'decode-request' | 'decode-response'; hex: string }
  | { job: 'encode-request' | 'encode-response'; fields: Neutral }
  | { job: 'tags' };

export type BridgeAnswer = { ok: true; fields?: Neutral; hex?: string; tags?: Record<string, number> } | { ok: false; error: string; trace?: string };

export function runBridge(jobs: BridgeJob[]): BridgeAnswer[] {
  const out = spawnSync(PYTHON, [BRIDGE], { input: JSON.stringify(jobs), encoding: 'utf8', maxBuffer: 64 << 20, timeout: 60_000 });
  if (out.status !== 0) throw new Error(`pykmip_bridge.py failed (${out.status}): ${out.stderr}`);
  return JSON.parse(out.stdout) as BridgeAnswer[];
}

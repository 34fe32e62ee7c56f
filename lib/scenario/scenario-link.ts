// A scenario link: the whole scenario in the URL's fragment (never sent to any server), as JSON compressed with the
// browser's own CompressionStream (deflate-raw; Node 20 has it too) and written in base64url. Before the deflate
// data, a small header: the link format, the JSON's length and the start of its SHA-256, so a cut-off link, a changed
// one and a zip bomb are each told apart and named instead of being inflated into whatever they would give.
//   fragment:  s=<base64url(header ‖ deflate-raw(JSON))>[&learner=<seed>]
//   header:    1 byte link format (1), 4 bytes JSON length (big-endian), 4 bytes of SHA-256(JSON)
import { sha256 } from '@noble/hashes/sha2';
import { KeylabError } from '@/lib/keylab-error';
import { bytesToBase64, base64ToBytes } from '@/lib/base64';
import { compactForLink, expandFromLink } from './link-compact';
import { ScenarioError } from './scenario-schema';
import { NewerScenarioError, readScenario, type ScenarioV2 } from './scenario-v2';

export const LINK_FORMAT = 1;
/** The most a scenario's JSON may inflate to (a 600-VM world with guest files fits well within it). */
export const MAX_SCENARIO_BYTES = 1024 * 1024;
/** The longest fragment read at all: anything longer is refused before it is decoded. */
export const MAX_LINK_CHARS = 512 * 1024;
const HEADER_BYTES = 9;
const LEARNER_SEED = /^[A-Za-z0-9_-]{1,32}$/;

export type ScenarioLinkCode = 'EMPTY' | 'NOT_A_SCENARIO_LINK' | 'TRUNCATED' | 'DAMAGED' | 'TAMPERED' | 'TOO_LARGE' | 'NEWER' | 'INVALID';

/** Why a link could not be opened, in words a learner reads; `problems` lists a refused scenario's faults. */
export class ScenarioLinkError extends KeylabError<ScenarioLinkCode> {
  constructor(
    code: ScenarioLinkCode,
    message: string,
    readonly problems: string[] = [],
  ) {
    super(code, message);
  }
}

const ASK_AGAIN = 'Ask whoever sent it for the link again, and copy all of it.';

function toBase64url(bytes: Uint8Array): string {
  return bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const standard = text.replace(/-/g, '+').replace(/_/g, '/');
  return base64ToBytes(standard + '='.repeat((4 - (standard.length % 4)) % 4));
}

async function collect(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new ScenarioLinkError('TOO_LARGE', `This link unpacks to more than the ${limit.toLocaleString('en')} bytes it says it holds (a link holds at most ${MAX_SCENARIO_BYTES / 1024} KiB); it was not opened.`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  return collect(new Blob([bytes as BlobPart]).stream().pipeThrough(new CompressionStream('deflate-raw')), Number.MAX_SAFE_INTEGER);
}

/** Inflates at most `limit` bytes; what was inflated before the data ended badly is kept for the error's wording. */
async function inflate(bytes: Uint8Array, limit: number): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; got: number }> {
  const sink: Uint8Array[] = [];
  let got = 0;
  const counting = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      got += chunk.byteLength;
      sink.push(chunk);
      controller.enqueue(chunk);
    },
  });
  try {
    return { ok: true, bytes: await collect(new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate-raw')).pipeThrough(counting), limit) };
  } catch (error) {
    if (error instanceof ScenarioLinkError) throw error;
    return { ok: false, got };
  }
}

const check = (json: Uint8Array) => sha256(json).subarray(0, 4);
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The fragment (without '#') that carries the scenario, and the learner's seed when the link is one learner's. */
export async function encodeScenarioFragment(scenario: ScenarioV2, learnerSeed?: string): Promise<string> {
  if (learnerSeed !== undefined && !LEARNER_SEED.test(learnerSeed)) throw new ScenarioLinkError('INVALID', 'A learner seed is 1-32 letters, digits, dash or underscore.');
  const json = new TextEncoder().encode(JSON.stringify(compactForLink(scenario)));
  if (json.byteLength > MAX_SCENARIO_BYTES) throw new ScenarioLinkError('TOO_LARGE', `This scenario is ${Math.ceil(json.byteLength / 1024)} KiB; a link holds at most ${MAX_SCENARIO_BYTES / 1024} KiB. Share it as a file instead.`);
  const packed = await deflate(json);
  const out = new Uint8Array(HEADER_BYTES + packed.byteLength);
  const header = new DataView(out.buffer);
  header.setUint8(0, LINK_FORMAT);
  header.setUint32(1, json.byteLength);
  out.set(check(json), 5);
  out.set(packed, HEADER_BYTES);
  return `s=${toBase64url(out)}${learnerSeed ? `&learner=${learnerSeed}` : ''}`;
}

/** The link to /scenario on `origin` (e.g. https://keylab.example). */
export async function scenarioLink(origin: string, scenario: ScenarioV2, learnerSeed?: string): Promise<string> {
  return `${origin.replace(/\/$/, '')}/scenario#${await encodeScenarioFragment(scenario, learnerSeed)}`;
}

export interface DecodedLink {
  scenario: ScenarioV2;
  /** The learner's seed the link names, or null when it names none. */
  learnerSeed: string | null;
}

/**
 * Reads a link's fragment (with or without the leading '#'). Throws only a ScenarioLinkError, whose message says what
 * is wrong with the link (cut off, changed, too large, from a newer keylab, not a scenario) and never a parser's words.
 */
export async function decodeScenarioFragment(fragment: string): Promise<DecodedLink> {
  const hash = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  if (hash.length > MAX_LINK_CHARS) throw new ScenarioLinkError('TOO_LARGE', `This link is ${hash.length.toLocaleString('en')} characters long, far longer than any scenario link; it was not opened.`);
  if (!hash.trim()) throw new ScenarioLinkError('EMPTY', 'This link carries no scenario: everything after the # is missing. ' + ASK_AGAIN);
  const params = new URLSearchParams(hash);
  const data = params.get('s');
  if (data === null) throw new ScenarioLinkError('NOT_A_SCENARIO_LINK', 'This is not a scenario link: it has no scenario after the # (s=…). ' + ASK_AGAIN);
  const learner = params.get('learner');
  if (learner !== null && !LEARNER_SEED.test(learner)) throw new ScenarioLinkError('DAMAGED', 'The learner part of this link (learner=…) is damaged: a learner seed is 1-32 letters, digits, dash or underscore. ' + ASK_AGAIN);

  const bytes = fromBase64url(data);
  if (!bytes) {
    const cut = /^[A-Za-z0-9_-]*$/.test(data);
    throw cut
      ? new ScenarioLinkError('TRUNCATED', 'This link is cut off: its last characters are missing. ' + ASK_AGAIN)
      : new ScenarioLinkError('DAMAGED', 'This link is damaged: it holds characters a scenario link never has. ' + ASK_AGAIN);
  }
  if (bytes.byteLength < HEADER_BYTES) throw new ScenarioLinkError('TRUNCATED', 'This link is cut off: it is too short to hold a scenario. ' + ASK_AGAIN);
  const header = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = header.getUint8(0);
  if (format > LINK_FORMAT) throw new ScenarioLinkError('NEWER', `This link was made by a newer keylab (link format ${format}); this keylab reads format ${LINK_FORMAT}. Open it with a newer keylab.`);
  if (format !== LINK_FORMAT) throw new ScenarioLinkError('DAMAGED', 'This link is damaged: it does not start the way a scenario link does. ' + ASK_AGAIN);
  const length = header.getUint32(1);
  if (length > MAX_SCENARIO_BYTES) throw new ScenarioLinkError('TOO_LARGE', `This link says it unpacks to ${Math.ceil(length / 1024)} KiB; a scenario is at most ${MAX_SCENARIO_BYTES / 1024} KiB, so it was not opened.`);

  const inflated = await inflate(bytes.subarray(HEADER_BYTES), length);
  if (!inflated.ok) {
    throw inflated.got < length
      ? new ScenarioLinkError('TRUNCATED', 'This link is cut off or damaged: its scenario ends before it is complete. ' + ASK_AGAIN)
      : new ScenarioLinkError('DAMAGED', 'This link is damaged: its scenario does not unpack. ' + ASK_AGAIN);
  }
  const json = inflated.bytes;
  if (json.byteLength !== length) {
    throw json.byteLength < length
      ? new ScenarioLinkError('TRUNCATED', 'This link is cut off: its scenario is shorter than the link says. ' + ASK_AGAIN)
      : new ScenarioLinkError('TAMPERED', 'This link was changed after it was made: its scenario is not the length the link says. ' + ASK_AGAIN);
  }
  if (!sameBytes(check(json), bytes.subarray(5, 9))) throw new ScenarioLinkError('TAMPERED', 'This link was changed after it was made: its scenario does not match the check the link carries. ' + ASK_AGAIN);
  return { scenario: scenarioFromJsonText(new TextDecoder().decode(json), 'link'), learnerSeed: learner };
}

/** The scenario in a JSON text (a link's, once unpacked, or a file's), or a ScenarioLinkError saying what is wrong. */
export function scenarioFromJsonText(text: string, from: 'link' | 'file'): ScenarioV2 {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ScenarioLinkError('INVALID', from === 'file' ? 'This file is not a keylab scenario: it is not JSON.' : 'This link is damaged: its scenario is not readable. ' + ASK_AGAIN);
  }
  const holder = from === 'file' ? 'This file' : 'This link';
  try {
    return readScenario(from === 'link' ? expandFromLink(data) : data);
  } catch (error) {
    if (error instanceof NewerScenarioError) throw new ScenarioLinkError('NEWER', error.message);
    if (error instanceof ScenarioError) throw new ScenarioLinkError('INVALID', `${holder} holds a scenario keylab cannot use. ${error.message}`, error.problems);
    console.error('keylab: reading a scenario failed', error);
    throw new ScenarioLinkError('INVALID', `${holder} holds something keylab cannot read as a scenario.`);
  }
}

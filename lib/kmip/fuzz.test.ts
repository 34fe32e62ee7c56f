// Decoder hardening: 12,000 seeded mutations of valid KMIP messages. Each is either read (and then re-encodes to a
// tree no larger than its bytes) or refused with a named KMIP error; none throws past the decoder, and the KMS
// handler answers every one with a response that decodes. The run is bounded: it finishes or the test times out.
import { describe, expect, it } from 'vitest';
import { KmipError, type KmipErrorCode } from './errors';
import { handleRequest } from './kms-handler';
import { InMemoryKeyStore } from './key-store';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from './messages';
import { decodeTtlv, DEFAULT_LIMITS } from './ttlv-decode';
import type { TtlvNode } from './ttlv-node';
import { mutate, seededRandom, type Mutation } from './test-support/mutate';
import { SAMPLE_REQUESTS, SAMPLE_RESPONSES } from './sample-messages';

const COUNT = 12_000;
const SEED = 0x6b6d6970; // "kmip"

function nodes(n: TtlvNode): number {
  return n.type === 'Structure' ? 1 + n.value.reduce((s, c) => s + nodes(c), 0) : 1;
}

describe(`decoder fuzz: ${COUNT.toLocaleString('en')} mutated messages, seed 0x${SEED.toString(16)}`, () => {
  it('reads or refuses each with a named KMIP error, never throwing, and the KMS answers each', () => {
    const random = seededRandom(SEED);
    const corpus = [...SAMPLE_REQUESTS.map(([, m]) => encodeRequest(m)), ...SAMPLE_RESPONSES.map(([, m]) => encodeResponse(m))];
    const store = new InMemoryKeyStore();
    const ctx = { store, now: () => 1_765_000_000, randomBytes: (n: number) => new Uint8Array(n) };
    const codes = new Map<KmipErrorCode | 'read', number>();
    const kinds = new Map<Mutation, number>();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    let slowest = 0;
    const failures: string[] = [];
    for (let i = 0; i < COUNT; i++) {
      const { kind, bytes } = mutate(corpus[i % corpus.length]!, random);
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      const t0 = performance.now();
      let tree, request, response, answer;
      try {
        tree = decodeTtlv(bytes);
        request = decodeRequest(bytes);
        response = decodeResponse(bytes);
        answer = decodeResponse(handleRequest(bytes, ctx));
      } catch (e) {
        throw new Error(`mutation ${i} (${kind}) threw past the decoder: ${String(e)}; bytes ${Buffer.from(bytes).toString('hex')}`);
      }
      slowest = Math.max(slowest, performance.now() - t0);
      // Plain checks collected, not expect() per message: 12,000 x 5 assertions would cost more than the decoding.
      for (const result of [tree, request, response]) {
        if (!result.ok && (!(result.error instanceof KmipError) || result.error.code === 'INTERNAL' || result.error.message.length < 10)) {
          failures.push(`mutation ${i} (${kind}): ${result.error.code} ${result.error.message}`);
        }
      }
      // Memory is bounded by the input: a tree never holds more items than its bytes have 8-byte headers.
      if (tree.ok && nodes(tree.value) > bytes.length / 8) failures.push(`mutation ${i} (${kind}): tree larger than its bytes`);
      if (bytes.length > DEFAULT_LIMITS.maxBytes && (tree.ok || tree.error.code !== 'TOO_LARGE')) failures.push(`mutation ${i}: over the size limit yet not refused`);
      // Whatever arrived, the KMS answers with a response that decodes.
      if (!answer.ok) failures.push(`mutation ${i} (${kind}): the KMS answer does not decode: ${answer.error.message}`);
      const key = tree.ok ? 'read' : tree.error.code;
      codes.set(key, (codes.get(key) ?? 0) + 1);
    }
    const seconds = (performance.now() - started) / 1000;
    const heapGrowth = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    console.log(
      `fuzz: ${COUNT} mutations in ${seconds.toFixed(2)} s, slowest ${slowest.toFixed(2)} ms, heap ${heapGrowth >= 0 ? '+' : ''}${heapGrowth.toFixed(1)} MiB;`,
      `outcomes ${JSON.stringify(Object.fromEntries([...codes].sort()))}; mutations ${JSON.stringify(Object.fromEntries(kinds))}`,
    );
    expect(failures).toEqual([]);
    // The mutations must reach every fault the decoder names, or the run would prove less than it claims.
    for (const code of ['TRUNCATED', 'BAD_LENGTH', 'BAD_PADDING', 'UNKNOWN_TAG', 'UNKNOWN_TYPE', 'WRONG_TYPE', 'TOO_DEEP', 'TRAILING_BYTES'] as const) {
      expect(codes.get(code) ?? 0, code).toBeGreaterThan(0);
    }
  }, 60_000);
});

// PyKMIP (a KMIP 1.1 library nobody here wrote) reads every message the lab writes into the same fields, and the lab
// reads every message PyKMIP writes from the same fields. Skips only when python3-pykmip is not installed.
import { describe, expect, it } from 'vitest';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from './messages';
import { TAGS } from './tags';
import { neutralRequest, neutralResponse } from './test-support/neutral';
import { PYKMIP_MISSING, pykmipAvailable, runBridge, type BridgeAnswer } from './test-support/pykmip';
import { SAMPLE_REQUESTS, SAMPLE_RESPONSES } from './sample-messages';
import { sampleExchanges } from './test-support/sample-exchanges';
import { exportExchanges } from './wire-exchange';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const fromHex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));

function answered(a: BridgeAnswer | undefined, label: string) {
  if (!a?.ok) throw new Error(`PyKMIP refused ${label}: ${a ? a.error + '\n' + a.trace : 'no answer'}`);
  return a;
}

if (!pykmipAvailable()) console.warn(PYKMIP_MISSING);

describe.skipIf(!pykmipAvailable())('KMIP codec against PyKMIP 0.10', () => {
  it('every lab tag has the code PyKMIP gives the same name', () => {
    const [answer] = runBridge([{ job: 'tags' }]);
    const theirs = answered(answer, 'tags').tags!;
    for (const [name, info] of Object.entries(TAGS)) {
      const pyName = name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
      expect({ name, code: theirs[pyName] }).toEqual({ name, code: info.code });
    }
  });

  it(`PyKMIP decodes each of the lab's ${SAMPLE_REQUESTS.length} requests and ${SAMPLE_RESPONSES.length} responses into the same fields`, () => {
    const answers = runBridge([
      ...SAMPLE_REQUESTS.map(([, m]) => ({ job: 'decode-request' as const, hex: hex(encodeRequest(m)) })),
      ...SAMPLE_RESPONSES.map(([, m]) => ({ job: 'decode-response' as const, hex: hex(encodeResponse(m)) })),
    ]);
    SAMPLE_REQUESTS.forEach(([label, m], i) => {
      expect(answered(answers[i], label).fields, label).toEqual(neutralRequest(m));
    });
    SAMPLE_RESPONSES.forEach(([label, m], i) => {
      expect(answered(answers[SAMPLE_REQUESTS.length + i], label).fields, label).toEqual(neutralResponse(m));
    });
  });

  it('the lab decodes each message PyKMIP encodes from the same fields, and re-encodes it to the same bytes', () => {
    const answers = runBridge([
      ...SAMPLE_REQUESTS.map(([, m]) => ({ job: 'encode-request' as const, fields: neutralRequest(m) })),
      ...SAMPLE_RESPONSES.map(([, m]) => ({ job: 'encode-response' as const, fields: neutralResponse(m) })),
    ]);
    SAMPLE_REQUESTS.forEach(([label, m], i) => {
      const bytes = fromHex(answered(answers[i], label).hex!);
      const decoded = decodeRequest(bytes);
      if (!decoded.ok) throw new Error(`${label}: ${decoded.error.message}`);
      expect(neutralRequest(decoded.value), label).toEqual(neutralRequest(m));
      expect(hex(encodeRequest(decoded.value)), label).toBe(hex(bytes));
    });
    SAMPLE_RESPONSES.forEach(([label, m], i) => {
      const bytes = fromHex(answered(answers[SAMPLE_REQUESTS.length + i], label).hex!);
      const decoded = decodeResponse(bytes);
      if (!decoded.ok) throw new Error(`${label}: ${decoded.error.message}`);
      expect(neutralResponse(decoded.value), label).toEqual(neutralResponse(m));
      expect(hex(encodeResponse(decoded.value)), label).toBe(hex(bytes));
    });
  });

  it("PyKMIP reads the wire view's export (Key Material zeroed) into the fields the lab reads", () => {
    const exported = JSON.parse(exportExchanges(sampleExchanges())) as { exchanges: { requestHex: string; responseHex?: string }[] };
    const jobs = exported.exchanges.flatMap((e) => [
      { job: 'decode-request' as const, hex: e.requestHex },
      ...(e.responseHex ? [{ job: 'decode-response' as const, hex: e.responseHex }] : []),
    ]);
    const answers = runBridge(jobs);
    jobs.forEach((job, i) => {
      const ours = job.job === 'decode-request' ? decodeRequest(fromHex(job.hex)) : decodeResponse(fromHex(job.hex));
      if (!ours.ok) throw ours.error;
      const expected = job.job === 'decode-request' ? neutralRequest(ours.value as never) : neutralResponse(ours.value as never);
      expect(answered(answers[i], `exported ${job.job} ${i}`).fields).toEqual(expected);
    });
    expect(jobs.length).toBe(9);
  });
});

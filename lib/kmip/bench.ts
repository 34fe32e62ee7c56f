// The codec's speed: messages encoded and decoded per second over the sample catalog (every operation, successes and
// failures). Pure TypeScript, so the same function runs in Node (lib/kmip/bench.test.ts prints it) and in a page.
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from './messages';
import { SAMPLE_REQUESTS, SAMPLE_RESPONSES } from './sample-messages';

export interface KmipCodecFigures {
  messages: number;
  meanBytes: number;
  encodePerSecond: number;
  decodePerSecond: number;
}

/** Runs each phase for about `millis` of the clock (whole passes over the catalog) and reports the rates. */
export function benchKmipCodec(millis = 500, clock: () => number = () => performance.now()): KmipCodecFigures {
  const encoders = [
    ...SAMPLE_REQUESTS.map(([, m]) => () => encodeRequest(m)),
    ...SAMPLE_RESPONSES.map(([, m]) => () => encodeResponse(m)),
  ];
  const encoded = encoders.map((encode) => encode());
  const decoders = [
    ...encoded.slice(0, SAMPLE_REQUESTS.length).map((b) => () => decodeRequest(b)),
    ...encoded.slice(SAMPLE_REQUESTS.length).map((b) => () => decodeResponse(b)),
  ];
  for (const decode of decoders) if (!decode().ok) throw new Error('The sample catalog does not decode');
  const rate = (work: (() => unknown)[]) => {
    for (let i = 0; i < 3; i++) for (const w of work) w(); // warm the JIT
    let count = 0;
    const start = clock();
    let elapsed = 0;
    while (elapsed < millis) {
      for (const w of work) w();
      count += work.length;
      elapsed = clock() - start;
    }
    return Math.round((count / elapsed) * 1000);
  };
  return {
    messages: encoded.length,
    meanBytes: Math.round(encoded.reduce((s, b) => s + b.length, 0) / encoded.length),
    encodePerSecond: rate(encoders),
    decodePerSecond: rate(decoders),
  };
}

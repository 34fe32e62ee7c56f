// Prints the codec's rates (never asserts a timing: a loaded machine is no defect); checks only that it measured.
import { expect, it } from 'vitest';
import { benchKmipCodec } from './bench';

it('measures KMIP encode and decode rates over the sample catalog', () => {
  // CPU time, not the wall clock: on a machine shared with other work the wall clock measures the neighbours.
  const cpuMillis = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  // `npm run bench` asks for a longer run (KMIP_BENCH_MS); the unit run only checks that it measures.
  const figures = benchKmipCodec(Number(process.env.KMIP_BENCH_MS ?? 300), cpuMillis);
  console.log(
    `KMIP codec (Node ${process.version}, per CPU second): ${figures.encodePerSecond.toLocaleString('en')} messages/s encoded, ` +
      `${figures.decodePerSecond.toLocaleString('en')} decoded (${figures.messages} messages, mean ${figures.meanBytes} B)`,
  );
  expect(figures.encodePerSecond).toBeGreaterThan(0);
  expect(figures.decodePerSecond).toBeGreaterThan(0);
});

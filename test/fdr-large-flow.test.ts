// The bench's large-flow phase (bench/large-flow.ts) on a small flow, in this process and in its own
// child, so that `npm run bench` cannot rot: the file is written, every chunk validated, every line
// read back equal to the one generated, in both modes.
import { describe, expect, it } from 'vitest';
import { largeFlow, largeFlowLine, runLargeFlow } from '../bench/large-flow.js';

describe('the large-flow bench phase', () => {
  it('round-trips 3,000 lines in chunks and whole, with the same size', async () => {
    const chunked = await largeFlow(3000, 'chunked', 250);
    const whole = await largeFlow(3000, 'whole');
    for (const r of [chunked, whole]) {
      expect(r).toMatchObject({ lines: 3000, valid: true, roundTrip: true, mustProblems: [] });
      expect(r.peakRssMb).toBeGreaterThan(0);
    }
    expect(chunked.bytes).toBe(whole.bytes);
    expect(chunked.bytes).toBeGreaterThan(3000 * 400);
  });
  it('generates distinct lines with every outcome code and transfer', () => {
    const lines = Array.from({ length: 20 }, (_, i) => largeFlowLine(i + 1));
    expect(new Set(lines.map((l) => l.outcomeCode))).toEqual(new Set(['0', '3', '4', '8', '9']));
    expect(new Set(lines.map((l) => l.idTransfer))).toEqual(new Set([1, 2, 3, 4, 5]));
    expect(new Set(lines.map((l) => `${l.iuv}/${l.iur}`)).size).toBe(20);
  });
  it('runs in a child process of its own and reports its figures', async () => {
    const r = await runLargeFlow(2000, 'chunked');
    expect(r).toMatchObject({ mode: 'chunked', lines: 2000, valid: true, roundTrip: true });
    expect(r.peakRssMb).toBeGreaterThanOrEqual(r.baseRssMb);
  }, 60_000);
});

// The identifiers of a reporting flow (domain/fdr/ids.ts): identificativoFlusso's pattern and layout
// (NM-V-12, NM-FDR-VAL-01, NM-A-23, FDR-3008/3009), the generator, the SCT remittance, the regulation id.
import { describe, expect, it } from 'vitest';
import {
  FLOW_ID_PATTERN,
  FlowIdSequence,
  flowIdOfRemittance,
  flowIdParts,
  flowIdProblems,
  integrationRemittance,
  isCalendarDate,
  newFlowId,
  pspPartOf,
  regulationIdProblem,
  sctRemittance,
} from '../domain/fdr/ids.js';

const rules = (id: string, psp = 'PSPTEST01') => flowIdProblems(id, psp).map((p) => [p.rule, p.level, p.restFault]);

describe('identificativoFlusso', () => {
  it('a conformant identifier breaks no rule', () => {
    expect(flowIdProblems('2026-12-03PSPTEST01-1', 'PSPTEST01')).toEqual([]);
    expect(flowIdProblems('2016-08-16pspTest-1178', 'pspTest')).toEqual([]);
    expect(flowIdProblems('2024-02-29PSP_1-a-b_c', 'PSP_1')).toEqual([]);
  });
  it('the pattern is a MUST: characters outside [a-zA-Z0-9-_], empty, over 35', () => {
    expect(rules('2026-12-03PSPTEST01-1.5')).toEqual([['pattern', 'MUST', 'FDR-1000']]);
    expect(rules('2026-12-03PSPTEST01-1 ')).toEqual([['pattern', 'MUST', 'FDR-1000']]);
    expect(rules('2026-12-03PSPTEST01-èx')).toEqual([['pattern', 'MUST', 'FDR-1000']]);
    const id35 = `2026-12-03PSPTEST01-${'9'.repeat(15)}`;
    expect(id35).toHaveLength(35);
    expect(rules(id35)).toEqual([]);
    expect(rules(`${id35}9`)).toEqual([['pattern', 'MUST', 'FDR-1000']]);
    expect(rules('')[0]).toEqual(['pattern', 'MUST', 'FDR-1000']);
  });
  it('a date part that is not YYYY-MM-DD or not a real day: FDR-3008, SHOULD (NM-A-23)', () => {
    expect(rules('20261203PSPTEST01-1')).toEqual([['date', 'SHOULD', 'FDR-3008']]);
    expect(rules('2026-02-29PSPTEST01-1')).toEqual([['date', 'SHOULD', 'FDR-3008']]);
    expect(rules('2026-13-01PSPTEST01-1')).toEqual([['date', 'SHOULD', 'FDR-3008']]);
    expect(rules('2026-12-00PSPTEST01-1')).toEqual([['date', 'SHOULD', 'FDR-3008']]);
    expect(rules('PSPTEST01-2026-12-03-1')).toEqual([['date', 'SHOULD', 'FDR-3008']]);
  });
  it("a PSP part that is not the sender's idPSP: FDR-3009", () => {
    expect(rules('2026-12-03PSPTEST02-1')).toEqual([['psp', 'SHOULD', 'FDR-3009']]);
    expect(rules('2026-12-03pspTEST01-1')).toEqual([['psp', 'SHOULD', 'FDR-3009']]);
    expect(rules('2026-12-03-PSPTEST01-1')).toEqual([['psp', 'SHOULD', 'FDR-3009']]);
  });
  it("the idPSP must be followed by '-' and a unique part (a longer PSP code is not ours)", () => {
    expect(rules('2026-12-03PSPTEST01')).toEqual([['unique-part', 'SHOULD', 'FDR-3009']]);
    expect(rules('2026-12-03PSPTEST01-')).toEqual([['unique-part', 'SHOULD', 'FDR-3009']]);
    expect(rules('2026-12-03PSPTEST0123-1')).toEqual([['unique-part', 'SHOULD', 'FDR-3009']]);
    expect(rules('2026-12-03PSPTEST01_1')).toEqual([['unique-part', 'SHOULD', 'FDR-3009']]);
  });
  it('a pattern violation and a layout violation are both reported', () => {
    expect(rules('2026/12/03PSPTEST01-1')).toEqual([['pattern', 'MUST', 'FDR-1000'], ['date', 'SHOULD', 'FDR-3008']]);
  });
  it('every problem names the requirement ids', () => {
    for (const p of flowIdProblems('x.y', 'P')) expect(p.ids.length).toBeGreaterThan(0);
    expect(flowIdProblems('2026-12-03X-1', 'P')[0]!.ids).toContain('NM-A-23');
  });
  it('parts and the PSP part of an unknown sender', () => {
    expect(flowIdParts('2026-12-03PSPTEST01-a-1', 'PSPTEST01')).toEqual({ date: '2026-12-03', idPSP: 'PSPTEST01', unique: 'a-1' });
    expect(flowIdParts('2026-12-03PSPTEST01-', 'PSPTEST01')).toBeUndefined();
    expect(flowIdParts('2026-12-03PSPTEST01-1', 'PSPTEST0')).toBeUndefined();
    expect(pspPartOf('2026-12-03PSPTEST01-a-1')).toBe('PSPTEST01');
    expect(pspPartOf('2026-12-03PSPTEST01')).toBeUndefined();
    expect(pspPartOf('2026-12-03-1')).toBeUndefined();
    expect(pspPartOf('x026-12-03P-1')).toBeUndefined();
  });
  it('isCalendarDate knows leap years', () => {
    expect(['2024-02-29', '2000-02-29', '2026-12-31'].map(isCalendarDate)).toEqual([true, true, true]);
    expect(['2100-02-29', '2026-04-31', '2026-1-01', '2026-01-01Z'].map(isCalendarDate)).toEqual([false, false, false, false]);
  });
});

describe('the generator', () => {
  it('newFlowId builds a conformant identifier, refuses one that cannot be', () => {
    const id = newFlowId('PSPTEST01', '2026-12-03', 42);
    expect(id).toBe('2026-12-03PSPTEST01-42');
    expect(flowIdProblems(id, 'PSPTEST01')).toEqual([]);
    expect(() => newFlowId('PSPTEST01', '2026-12-32', 1)).toThrow(/YYYY-MM-DD/);
    expect(() => newFlowId('A'.repeat(24), '2026-12-03', 1)).toThrow(/leaves 0/);
    expect(() => newFlowId('PSP.1', '2026-12-03', 1)).toThrow(/pattern|break/);
    expect(newFlowId('A'.repeat(23), '2026-12-03', 1)).toHaveLength(35);
  });
  it('FlowIdSequence: unique per PSP and day, counting per day, the tag keeping runs apart', () => {
    const s = new FlowIdSequence('PSPTEST01', 'r7k');
    const ids = [s.next('2026-12-03'), s.next('2026-12-03'), s.next('2026-12-04'), s.next('2026-12-03')];
    expect(ids).toEqual(['2026-12-03PSPTEST01-r7k1', '2026-12-03PSPTEST01-r7k2', '2026-12-04PSPTEST01-r7k1', '2026-12-03PSPTEST01-r7k3']);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(flowIdProblems(id, 'PSPTEST01')).toEqual([]);
    const many = new FlowIdSequence('PSPTEST01');
    const set = new Set(Array.from({ length: 5000 }, () => many.next('2026-12-03')));
    expect(set.size).toBe(5000);
    for (const id of set) expect(FLOW_ID_PATTERN.test(id)).toBe(true);
    expect(() => new FlowIdSequence('P', 'a.b')).toThrow(/tag/);
  });
});

describe('the SCT remittance and the regulation id', () => {
  it('the cumulative and integration remittances name the flow, and are read back', () => {
    expect(sctRemittance('2026-12-03PSPTEST01-1')).toBe('/PUR/LGPE-RIVERSAMENTO/URI/2026-12-03PSPTEST01-1');
    expect(integrationRemittance('2026-12-03PSPTEST01-1')).toBe('/PUR/LGPE-INTEGRAZIONE/URI/2026-12-03PSPTEST01-1');
    expect(flowIdOfRemittance(' /PUR/LGPE-RIVERSAMENTO/URI/2026-12-03PSPTEST01-1 ')).toEqual({ flowId: '2026-12-03PSPTEST01-1', kind: 'riversamento' });
    expect(flowIdOfRemittance('/PUR/LGPE-INTEGRAZIONE/URI/2026-12-03PSPTEST01-1')).toEqual({ flowId: '2026-12-03PSPTEST01-1', kind: 'integrazione' });
    expect(flowIdOfRemittance('/RFS/01000000000000144/10.00')).toBeUndefined();
    expect(flowIdOfRemittance('/PUR/LGPE-RIVERSAMENTO/URI/')).toBeUndefined();
    expect(flowIdOfRemittance('/PUR/LGPE-RIVERSAMENTO/URI/2026-12-03 PSP-1')).toBeUndefined();
  });
  it('identificativoUnivocoRegolamento: 1..35 characters (TRN or EndToEndId)', () => {
    expect(regulationIdProblem('TRN0000000001')).toBeUndefined();
    expect(regulationIdProblem('x'.repeat(35))).toBeUndefined();
    expect(regulationIdProblem('è'.repeat(35))).toBeUndefined();
    expect(regulationIdProblem('')).toMatch(/1\.\.35/);
    expect(regulationIdProblem('x'.repeat(36))).toMatch(/found 36/);
  });
});

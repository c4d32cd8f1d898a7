// Coverage gate of the PSP seat (issue 14 item 18, clarification 11): every MUST requirement of the
// PSP seat (NM-* and IF-*), outside reconciliation and declarations, has a check bound to it, or is
// listed below with the reason no check judges it yet. The list can only shrink: an id listed here
// that a check becomes bound to fails the gate until it is removed.
import { describe, expect, it } from 'vitest';
import { catalogue, isReconciliation, requirement } from '../src/catalogue/index.js';
import { requirementsOf } from '../src/core/scenario.js';
import { pspScenarios } from '../suites/psp/index.js';

/** The catalogue's field rules F<from>…F<to> of an operation, but those a check judges already (`except`). */
const range = (op: string, from: number, to: number, except: number[] = []): string[] =>
  catalogue()
    .requirements.filter((r) => r.id.startsWith(`IF-${op}-F`))
    .filter((r) => { const n = Number(r.id.slice(-2)); return n >= from && n <= to && !except.includes(n); })
    .map((r) => r.id);

/** Reasons, each with the PSP MUST ids no check is bound to for that reason. */
const PENDING: [reason: string, ids: string[]][] = [
  ['the harness Nodo does not serve the informativa primitives (nodoChiediInformativaPA, nodoChiediTemplateInformativaPSP) yet', [...range('nodoChiediInformativaPA', 1, 99), ...range('nodoChiediTemplateInformativaPSP', 1, 99)]],
  ['the harness Nodo does not serve verificaBollettino yet (Poste, PSP-PAY-08 is notYet)', range('verificaBollettino', 1, 99)],
  [
    'fields of the answers the harness Nodo writes (verify, activate, demand, catalogue, the FdR upload): the PSP reading them shows only in what it does next, judged by the flow checks, not field by field',
    [...range('verifyPaymentNotice', 40, 46, [46]), ...range('activatePaymentNotice', 40, 49, [41, 47]), ...range('activatePaymentNoticeV2', 48, 52), ...range('demandPaymentNotice', 40, 46), ...range('nodoChiediCatalogoServiziV2', 40, 40), ...range('nodoInviaFlussoRendicontazione', 40, 41)],
  ],
  ['fields of the pspNotifyPayment(V2) requests the harness Nodo writes: the PSP reading them shows in its answer and outcome, judged by the PSP-NOTIFY-* flow checks', [...range('pspNotifyPayment', 4, 11), ...range('pspNotifyPaymentV2', 1, 11, [10])]],
  ['digital stamps (MBD) need stamp positions the emulated EC cannot issue yet (PSP-BOLLO-01 is notYet)', ['IF-paGetPaymentV2-F80', 'IF-activatePaymentNotice-F79']],
  ['caller authentication is the harness Nodo checking the PSP; the PSP side (its own credentials) is judged per field rule IF-<op>-F01…F04', ['IF-X-16']],
  ['Stand-In served from ACA is the platform; the PSP side (a standIn answer taken as valid) is judged under NM-SI-PAY-03', ['IF-X-23']],
];

function pspMustIds(): string[] {
  return catalogue()
    .requirements.filter((r) => /^(NM|IF)-/.test(r.id) && r.levels.psp === 'MUST' && !isReconciliation(r) && !r.needs.includes('declaration'))
    .map((r) => r.id);
}

const bound = new Set(pspScenarios.flatMap((d) => requirementsOf(d)));
const pending = new Map(PENDING.flatMap(([reason, ids]) => ids.filter((id) => requirement(id)?.levels.psp === 'MUST').map((id) => [id, reason] as const)));

describe('coverage gate (PSP seat)', () => {
  it('every PSP MUST requirement has a check bound to it, unless it is pending with a reason', () => {
    const missing = pspMustIds().filter((id) => !bound.has(id) && !pending.has(id));
    expect(missing, `PSP MUST requirements no check is bound to: ${missing.join(', ')}`).toEqual([]);
  });

  it('the pending list only shrinks: an id a check is now bound to must leave it', () => {
    expect([...pending.keys()].filter((id) => bound.has(id))).toEqual([]);
  });

  it('every reason names at least one PSP MUST id, and the population is not empty', () => {
    for (const [reason, ids] of PENDING) expect(ids.some((id) => pending.has(id)), reason).toBe(true);
    expect(pspMustIds().length).toBeGreaterThan(100);
    expect(bound.size).toBeGreaterThan(100);
  });
});

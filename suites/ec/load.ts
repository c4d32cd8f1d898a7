// Service-level profile (issue 4 item 1; NM-SLA-TO-02): a short, bounded load step — a fixed
// number of requests per primitive at concurrency 4 — measured on the run's clock (real time against
// a candidate; in demo and self-tests the virtual clock, where only simulated delays count, so a
// loaded machine never turns the verdict), with p50/p95/p98/max per primitive. p98 above the 2 s
// service level → WARNING (a monthly KPI, SHOULD); any answer beyond the Nodo timeout, or none at
// all → FAIL.
import type { JournalEntry } from '../../src/core/journal.js';
import { spec, type ScenarioDef } from '../../src/core/scenario.js';
import type { EcContext } from '../../seats/ec.js';
import { featureOn } from '../../src/profile/index.js';
import type { NodeObj } from '../../src/wire/xml.js';
import { buildReceipt } from '../../actors/nodo/receipts.js';
import { fillUnique } from './spontaneous.js';
import { type PaPrimitive, type Role, ROLE_IT, answerOfCall, getPrimitive, roleOf, rtPrimitive } from './lib.js';
import { answerSaid, detailIt, transportSaid } from '../../src/wire/answer.js';
import type { Bi } from '../../src/core/text.js';
import { demandRequest, getPaymentRequest, verifyRequest } from './negative.js';
import { isoDate } from '../../src/core/clock.js';
import { EC_SERVICE_LEVEL_MS } from '../../domain/service-levels.js';

type S = ScenarioDef<EcContext>;

export const LOAD_REQUESTS = 50;
/** paDemandPaymentNotice creates a position per call: fewer of them */
export const LOAD_DEMANDS = 10;
export const LOAD_CONCURRENCY = 4;

const ROLES: Role[] = ['verify', 'getpayment', 'receipt', 'demand'];

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

interface Sample {
  ms: number;
  entries: JournalEntry[];
  /** no answer, or an answer after the Nodo timeout */
  late: boolean;
  ok: boolean;
  note: string;
  noteIt: string;
}

async function step(t: EcContext, primitive: PaPrimitive, count: number, make: (i: number) => NodeObj): Promise<Sample[]> {
  const out: Sample[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const note = `load step ${i + 1}/${count}`;
      const r = await t.nodo.callStation(primitive, make(i), { note });
      const req = t.journal.entries.find((e) => e.direction === 'request' && e.primitive === primitive && e.note === note);
      const entries = t.journal.entries.filter((e) => !!req && e.exchange === req.exchange);
      // the call's latency is on the run's clock
      const ok = r.transport === 'ok';
      out.push({ ms: r.latencyMs, entries, late: !ok, ok, note: ok ? '' : `${r.transport}${r.error ? ` (${r.error})` : ''}`, noteIt: ok ? '' : `${transportSaid(r.transport)[1]}${r.error ? ` (${detailIt(r.error)})` : ''}` });
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOAD_CONCURRENCY, count) }, worker));
  return out;
}

function judge(t: EcContext, primitive: PaPrimitive, timeout: number, samples: Sample[]): void {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const [p50 = NaN, p95 = NaN, p98 = NaN] = [50, 95, 98].map((p) => Math.round(percentile(sorted, p)));
  const max = Math.round(sorted.at(-1) ?? NaN);
  const late = samples.filter((s) => s.late || s.ms > timeout);
  const pcts = `p50 ${p50} ms, p95 ${p95} ms, p98 ${p98} ms, max ${max} ms`;
  const stats: Bi = [`${samples.length} requests at concurrency ${LOAD_CONCURRENCY}: ${pcts}`, `${samples.length} richieste con concorrenza ${LOAD_CONCURRENCY}: ${pcts}`];
  const lateOnes = (it: boolean) => late.slice(0, 3).map((s) => (it ? s.noteIt : s.note) || `${Math.round(s.ms)} ms`).join(', ');
  const role = roleOf(primitive);
  const all = samples.flatMap((s) => s.entries);
  t.check({
    id: `${role}-timeout`,
    title: [`${primitive}: every answer of the load step within the Nodo timeout (${timeout} ms)`, `${primitive}: ogni risposta della prova di carico entro il timeout del Nodo (${timeout} ms)`],
    held: late.length === 0,
    message: late.length
      ? [`${late.length} answer(s) missing or beyond ${timeout} ms (${lateOnes(false)}); ${stats[0]}`, `${late.length} risposta/e mancanti o oltre ${timeout} ms (${lateOnes(true)}); ${stats[1]}`]
      : stats,
    entries: late.length ? late.flatMap((s) => s.entries) : all,
  });
  t.check({
    id: `${role}-p98`,
    title: [`${primitive}: p98 within the 2 s service level (98 % monthly, estimated on the load step)`, `${primitive}: p98 entro il livello di servizio di 2 s (98 % mensile, stimato sulla prova di carico)`],
    held: p98 <= EC_SERVICE_LEVEL_MS,
    message: stats,
    entries: all,
  });
}

export const loadScenarios: S[] = [
  {
    id: 'EC-SLA-02',
    title: `Service-level profile: ${LOAD_REQUESTS} requests per primitive at concurrency ${LOAD_CONCURRENCY}, percentiles against the 2 s KPI and the Nodo timeouts`,
    titleIt: `Profilo dei livelli di servizio: ${LOAD_REQUESTS} richieste per primitiva con concorrenza ${LOAD_CONCURRENCY}, percentili rispetto al KPI di 2 s e ai timeout del Nodo`,
    seat: 'ec',
    checks: ROLES.flatMap((r) => [
      spec(`${r}-timeout`, [`${r}: every answer of the load step within the Nodo timeout`, `risposte ${ROLE_IT[r]}: ognuna, nella prova di carico, entro il timeout del Nodo`], ['NM-SLA-TO-02', 'NM-X-STA-01']),
      spec(`${r}-p98`, [`${r}: p98 within the 2 s service level (98 % monthly, estimated on the load step)`, `risposte ${ROLE_IT[r]}: p98 entro il livello di servizio di 2 s (98 % mensile, stimato sulla prova di carico)`], 'NM-SLA-TO-02', 'SHOULD'),
    ]).concat(spec('alive-after-load', ['the station still answers after the load step (no station failure: NM-X-STA-01)', 'la stazione risponde ancora dopo la prova di carico (nessun guasto della stazione: NM-X-STA-01)'], 'NM-X-STA-01')),
    // paid once, then its receipt re-delivered: its own
    writes: { payable: 1 },
    async run(t) {
      const n = await t.ownNotice('payable');
      const v2 = t.station.version === 2;
      const gp: PaPrimitive = getPrimitive(t);
      const rt: PaPrimitive = rtPrimitive(t);
      const due = isoDate(t.clock.now() + 30 * 86_400_000);
      // verify and paGetPayment leave the position open: the same payable notice serves every request
      judge(t, 'paVerifyPaymentNotice', t.timeouts.paVerifyPaymentNotice, await step(t, 'paVerifyPaymentNotice', LOAD_REQUESTS, () => verifyRequest(t, n)));
      judge(t, gp, t.timeouts.paGetPayment, await step(t, gp, LOAD_REQUESTS, () => getPaymentRequest(t, n, undefined, due)));
      // receipts: the notice is paid once through the Nodo, then its receipt is re-delivered (duplicates)
      const pay = await t.psp.payNotice({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber }, { amountCents: n.amountCents });
      const receipt = pay.paymentToken ? t.nodo.receiptFor(pay.paymentToken) : undefined;
      if (!pay.paymentToken || !receipt) {
        const [d, dIt] = answerSaid(pay.activate ?? pay.verify ?? {});
        const why: Bi = [`the notice could not be paid (${d}): no receipt to deliver`, `l’avviso non è stato pagato (${dIt}): nessuna ricevuta da consegnare`];
        t.notExercised('receipt-timeout', why);
        t.notExercised('receipt-p98', why);
      } else {
        await t.nodo.waitDelivery(pay.paymentToken, n.fiscalCode).catch(() => undefined);
        const content = { idPA: t.station.idPA, idBrokerPA: t.station.idBrokerPA, idStation: t.station.idStation, receipt: buildReceipt(receipt, v2 ? 2 : 1) };
        judge(t, rt, t.timeouts.paSendRT, await step(t, rt, LOAD_REQUESTS, () => content));
      }
      const svc = featureOn(t.profile, 'spontaneous') ? t.profile.spontaneous?.services[0] : undefined;
      if (svc) {
        judge(
          t,
          'paDemandPaymentNotice',
          t.timeouts.paDemandPaymentNotice,
          await step(t, 'paDemandPaymentNotice', LOAD_DEMANDS, (i) => demandRequest(t, svc, Buffer.from(fillUnique(svc.datiSpecificiServizio, `${t.scenarioId}/${i}/${t.clock.now()}/${Math.random()}`), 'utf8').toString('base64'))),
        );
      }
      // the step must not have broken the station: one more verify of another state is not needed, a last answer is
      const last = answerOfCall(t, await t.nodo.callStation('paVerifyPaymentNotice', verifyRequest(t, n), { note: 'after the load step' }));
      t.check({ id: 'alive-after-load', held: !last.problem, message: answerSaid(last), entries: [last.request, last.response] });
    },
  },
];

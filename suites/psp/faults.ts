// The Nodo refuses: EC faults relayed (PPT_ERRORE_EMESSO_DA_PAA with each PAA_PAGAMENTO_*), notices
// paid or in progress at the platform, EC station down, unknown EC (catalogue §3.1 ERR rows). The
// PSP must stop: no activation after a refused verify, no outcome without a token, no new session.
import type { ScenarioDef } from '../../src/scenario.js';
import type { PspContext } from '../../src/seats/psp.js';
import type { PositionState } from '../../src/domain.js';
import { textOf } from '../../src/protocol/xml.js';
import { ACTIVATES, NOTICE_OPS, OUTCOMES, answer, bodyOf, checkReport, judgeWire, runPay } from './lib.js';

type S = ScenarioDef<PspContext>;

/** The PSP stopped after the refusal: checks shared by every row of the matrix. */
function judgeStopped(t: PspContext, requirement: string, expectCode: string, original?: string): void {
  judgeWire(t);
  const reqs = t.requests(NOTICE_OPS);
  const firstKo = reqs.find((e) => answer(t, e).outcome === 'KO');
  const a = firstKo ? answer(t, firstKo) : undefined;
  const orig = a?.body ? textOf(a.body.children.find((c) => c.name === 'fault'), 'originalFaultCode') : undefined;
  t.check({
    id: 'refused', title: `the Nodo refused the notice with ${expectCode}${original ? ` (${original})` : ''}`, requirement, level: 'MUST',
    held: a?.faultCode === expectCode && (!original || orig === original), message: a ? `${firstKo?.primitive} → ${a.faultCode} ${orig ?? ''}` : 'the PSP never got a refusal',
    entries: [firstKo, a?.entry], verdict: a ? undefined : 'INCONCLUSIVE',
  });
  if (!firstKo) return;
  const after = t.requests([...ACTIVATES, ...OUTCOMES]).filter((e) => e.seq > firstKo.seq && (firstKo.primitive === 'verifyPaymentNotice' || OUTCOMES.includes(e.primitive ?? '') || textOf(bodyOf(e), 'idempotencyKey') !== textOf(bodyOf(firstKo), 'idempotencyKey')));
  t.check({
    id: 'stopped', title: 'the PSP stops: no activation after a refused verify, no outcome, no new session for the notice', requirement, level: 'MUST',
    held: after.length === 0, message: after.length ? `after the refusal: ${after.map((e) => e.primitive).join(', ')}` : 'nothing more was sent', entries: after,
  });
}

interface EcRow { id: string; code: string; state: PositionState | 'unknown'; requirement: string; feature?: 'paymentOptions' }
/** catalogue table "Common frame for NM-PSPPAY-ERR-01…05" + NM-OPT-ERR-01 */
const EC_ROWS: EcRow[] = [
  { id: '01', code: 'PAA_PAGAMENTO_SCONOSCIUTO', state: 'unknown', requirement: 'NM-PSPPAY-ERR-01' },
  { id: '02', code: 'PAA_PAGAMENTO_DUPLICATO', state: 'paid', requirement: 'NM-PSPPAY-ERR-02' },
  { id: '03', code: 'PAA_PAGAMENTO_SCADUTO', state: 'expired', requirement: 'NM-PSPPAY-ERR-03' },
  { id: '04', code: 'PAA_PAGAMENTO_ANNULLATO', state: 'cancelled', requirement: 'NM-PSPPAY-ERR-04' },
  { id: '05', code: 'PAA_PAGAMENTO_IN_CORSO', state: 'in-progress', requirement: 'NM-PSPPAY-ERR-05' },
];

function ecRowScenario(r: EcRow, verify: boolean): S {
  const sub = verify ? 'a' : 'b';
  return {
    id: `PSP-ECERR-${r.id}${sub.toUpperCase()}`,
    title: `${r.code} relayed on ${verify ? 'verify' : 'activate'} (PPT_ERRORE_EMESSO_DA_PAA): the PSP stops`,
    titleIt: `${r.code} inoltrato su ${verify ? 'verify' : 'activate'} (PPT_ERRORE_EMESSO_DA_PAA): il PSP si ferma`,
    seat: 'psp',
    requirements: [r.requirement, 'IF-X-11', 'IF-activatePaymentNotice-F75'],
    async run(t) {
      const n = r.state === 'unknown' ? t.freshNotice() : t.position({ state: r.state });
      const { report } = await runPay(t, { action: 'pay', verify, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      judgeStopped(t, r.requirement, 'PPT_ERRORE_EMESSO_DA_PAA', r.code);
      checkReport(t, report, r.requirement, ['not-paid', 'failed']);
    },
  };
}

export const faultScenarios: S[] = [
  ...EC_ROWS.flatMap((r) => [ecRowScenario(r, true), ecRowScenario(r, false)]),
  {
    id: 'PSP-OPT-02',
    title: 'Payment option no longer payable (expired instalment): the PSP stops',
    titleIt: 'Opzione di pagamento non più pagabile (rata scaduta): il PSP si ferma',
    seat: 'psp',
    feature: 'paymentOptions',
    requirements: ['NM-OPT-ERR-01'],
    async run(t) {
      const n = t.position({ state: 'expired' });
      const { report } = await runPay(t, { action: 'pay', verify: true, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      judgeStopped(t, 'NM-OPT-ERR-01', 'PPT_ERRORE_EMESSO_DA_PAA', 'PAA_PAGAMENTO_SCADUTO');
      checkReport(t, report, 'NM-OPT-ERR-01', ['not-paid', 'failed']);
    },
  },
  {
    id: 'PSP-ERR-07',
    title: 'Notice already paid through the platform: PPT_PAGAMENTO_DUPLICATO, the PSP never pays it again',
    titleIt: 'Avviso già pagato tramite la piattaforma: PPT_PAGAMENTO_DUPLICATO, il PSP non lo ripaga',
    seat: 'psp',
    requirements: ['NM-PSPPAY-ERR-07', 'NM-SLA-KPI-04'],
    async run(t) {
      const n = t.position();
      const pre = await t.harnessPsp.payNotice({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber });
      if (!pre.paymentToken || pre.outcome?.outcome !== 'OK') return t.inconclusive('the harness could not pay the notice beforehand');
      const { report } = await runPay(t, { action: 'pay', verify: false, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      judgeStopped(t, 'NM-PSPPAY-ERR-07', 'PPT_PAGAMENTO_DUPLICATO');
      checkReport(t, report, 'NM-PSPPAY-ERR-07', ['not-paid', 'failed']);
    },
  },
  {
    id: 'PSP-CONC-01',
    title: 'A session is open on the notice: PPT_PAGAMENTO_IN_CORSO, no new session with a new key',
    titleIt: 'Una sessione è aperta sull’avviso: PPT_PAGAMENTO_IN_CORSO, nessuna nuova sessione con nuova chiave',
    seat: 'psp',
    requirements: ['NM-PSPPAY-CONC-01', 'NM-SLA-KPI-04'],
    async run(t) {
      const n = t.position();
      const pre = await t.harnessPsp.activate({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber }, n.amountCents);
      if (!pre.paymentToken) return t.inconclusive('the harness could not open a session on the notice beforehand');
      const { report } = await runPay(t, { action: 'pay', verify: false, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      judgeStopped(t, 'NM-PSPPAY-CONC-01', 'PPT_PAGAMENTO_IN_CORSO');
      checkReport(t, report, 'NM-PSPPAY-CONC-01', ['not-paid', 'failed']);
    },
  },
  {
    id: 'PSP-ERR-08',
    title: 'EC station does not answer in time: PPT_STAZIONE_INT_PA_TIMEOUT, no Stand-In, the PSP stops',
    titleIt: 'La stazione EC non risponde in tempo: PPT_STAZIONE_INT_PA_TIMEOUT, niente Stand-In, il PSP si ferma',
    seat: 'psp',
    requirements: ['NM-PSPPAY-ERR-08', 'NM-SI-ERR-01'],
    async run(t) {
      const n = t.position();
      for (const primitive of ['paVerifyPaymentNotice', 'paGetPayment', 'paGetPaymentV2']) t.faults.add({ side: 'outbound', primitive, match: { noticeNumber: n.noticeNumber }, fault: { kind: 'delay', ms: 8000 } });
      const { report } = await runPay(t, { action: 'pay', verify: true, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      judgeStopped(t, 'NM-PSPPAY-ERR-08', 'PPT_STAZIONE_INT_PA_TIMEOUT');
      checkReport(t, report, 'NM-SI-ERR-01', ['not-paid', 'failed']);
    },
  },
  {
    id: 'PSP-ERR-09',
    title: 'EC station unreachable: PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE, the PSP stops',
    titleIt: 'Stazione EC irraggiungibile: PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE, il PSP si ferma',
    seat: 'psp',
    requirements: ['NM-PSPPAY-ERR-09'],
    async run(t) {
      const n = t.position();
      for (const primitive of ['paVerifyPaymentNotice', 'paGetPayment', 'paGetPaymentV2']) t.faults.add({ side: 'outbound', primitive, match: { noticeNumber: n.noticeNumber }, fault: { kind: 'refused' } });
      const { report } = await runPay(t, { action: 'pay', verify: false, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      judgeStopped(t, 'NM-PSPPAY-ERR-09', 'PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE');
      checkReport(t, report, 'NM-PSPPAY-ERR-09', ['not-paid', 'failed']);
    },
  },
  {
    id: 'PSP-ERR-11',
    title: 'EC unknown to the platform: PPT_DOMINIO_SCONOSCIUTO, the PSP stops',
    titleIt: 'EC sconosciuto alla piattaforma: PPT_DOMINIO_SCONOSCIUTO, il PSP si ferma',
    seat: 'psp',
    requirements: ['NM-PSPPAY-ERR-11'],
    async run(t) {
      const n = t.freshNotice('99999999999');
      const { report } = await runPay(t, { action: 'pay', verify: true, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      judgeStopped(t, 'NM-PSPPAY-ERR-11', 'PPT_DOMINIO_SCONOSCIUTO');
      checkReport(t, report, 'NM-PSPPAY-ERR-11', ['not-paid', 'failed']);
    },
  },
];

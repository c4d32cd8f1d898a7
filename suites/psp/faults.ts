// The Nodo refuses: EC faults relayed (PPT_ERRORE_EMESSO_DA_PAA with each PAA_PAGAMENTO_*), notices
// paid or in progress at the platform, EC station down, unknown EC (catalogue §3.1 ERR rows). The
// PSP must stop: no activation after a refused verify, no outcome without a token, no new session.
import { type CheckSpec, type ScenarioDef, spec } from '../../src/core/scenario.js';
import type { PspContext, Position } from '../../seats/psp.js';
import { NOTICE_STATE_FAULTS, type NoticeStateFault } from '../../domain/notice-state.js';
import { textOf } from '../../src/wire/xml.js';
import { ACTIVATES, NOTICE_OPS, OUTCOMES, answer, bodyOf, checkReport, reportSpecs, runPay } from './lib.js';
import { type Flow, WIRE_SPECS, judgeWire } from './wire.js';
import { QR_SPECS, checkQrCode } from './paid.js';

type S = ScenarioDef<PspContext>;

function stopSpecs(requirement: string, also: string[] = []): CheckSpec[] {
  return [...WIRE_SPECS, ...QR_SPECS, spec('stopped', ['the PSP stops: no activation after a refused verify, no outcome, no new session for the notice', 'il PSP si ferma: nessuna attivazione dopo una verifica rifiutata, nessun esito, nessuna nuova sessione per l’avviso'], [requirement, ...also]), ...reportSpecs(requirement)];
}

/**
 * The PSP stopped after the refusal. That the harness's Nodo refused as scripted is the harness's
 * precondition (ERROR when it did not), unless the PSP's own request explains it (judged above).
 */
function judgeStopped(t: PspContext, n: Position, expectCode: string, original?: string): Flow {
  const f = judgeWire(t);
  const qrOk = checkQrCode(t, n);
  const reqs = t.requests(NOTICE_OPS);
  const firstKo = reqs.find((e) => answer(t, e).outcome === 'KO');
  const a = firstKo ? answer(t, firstKo) : undefined;
  const orig = a?.body ? textOf(a.body.children.find((c) => c.name === 'fault'), 'originalFaultCode') : undefined;
  if (!firstKo || a?.fault?.faultCode !== expectCode || (original && orig !== original)) {
    const got = firstKo ? `${firstKo.primitive} → ${a?.fault?.faultCode} ${orig ?? ''}` : `${reqs.length} request(s), none refused`;
    if (f.stopped || !qrOk) {
      const gotIt = firstKo ? got : `${reqs.length} richieste, nessuna rifiutata`;
      f.skip('stopped', f.stopped ?? [`the PSP asked about another notice (judged by qrcode): ${got}`, `il PSP ha chiesto di un altro avviso (giudicato da qrcode): ${gotIt}`]);
      return f;
    }
    return t.harnessError(`the harness's Nodo was to refuse notice ${n.noticeNumber} with ${expectCode}${original ? ` (${original})` : ''}, but: ${got}`);
  }
  const after = t.requests([...ACTIVATES, ...OUTCOMES]).filter((e) => e.seq > firstKo.seq && (firstKo.primitive === 'verifyPaymentNotice' || OUTCOMES.includes(e.primitive ?? '') || textOf(bodyOf(e), 'idempotencyKey') !== textOf(bodyOf(firstKo), 'idempotencyKey')));
  const refused = `${firstKo.primitive} → ${expectCode}${original ? ` (${original})` : ''}`;
  f.check({
    id: 'stopped', held: after.length === 0,
    message: after.length
      ? [`after ${refused}: ${after.map((e) => e.primitive).join(', ')}`, `dopo ${refused}: ${after.map((e) => e.primitive).join(', ')}`]
      : [`${refused}; nothing more was sent`, `${refused}; nient’altro è stato inviato`],
    entries: after.length ? after : [firstKo, a?.response],
  });
  return f;
}

interface EcRow extends NoticeStateFault { id: string }
/** catalogue table "Common frame for NM-PSPPAY-ERR-01…05" */
const EC_ROWS: EcRow[] = NOTICE_STATE_FAULTS.map((r, i) => ({ ...r, id: String(i + 1).padStart(2, '0') }));

function ecRowScenario(r: EcRow, verify: boolean): S {
  const sub = verify ? 'a' : 'b';
  return {
    id: `PSP-ECERR-${r.id}${sub.toUpperCase()}`,
    title: `${r.code} relayed on ${verify ? 'verify' : 'activate'} (PPT_ERRORE_EMESSO_DA_PAA): the PSP stops`,
    titleIt: `${r.code} inoltrato su ${verify ? 'verify' : 'activate'} (PPT_ERRORE_EMESSO_DA_PAA): il PSP si ferma`,
    seat: 'psp',
    checks: stopSpecs(r.requirement),
    async run(t) {
      const n = r.state === 'unknown' ? t.freshNotice() : t.position({ state: r.state });
      const { report } = await runPay(t, { action: 'pay', verify, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      const f = judgeStopped(t, n, 'PPT_ERRORE_EMESSO_DA_PAA', r.code);
      checkReport(f, report, ['not-paid', 'failed']);
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
    checks: stopSpecs('NM-OPT-ERR-01'),
    async run(t) {
      const n = t.position({ state: 'expired' });
      const { report } = await runPay(t, { action: 'pay', verify: true, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      const f = judgeStopped(t, n, 'PPT_ERRORE_EMESSO_DA_PAA', 'PAA_PAGAMENTO_SCADUTO');
      checkReport(f, report, ['not-paid', 'failed']);
    },
  },
  {
    id: 'PSP-ERR-07',
    title: 'Notice already paid through the platform: PPT_PAGAMENTO_DUPLICATO, the PSP never pays it again',
    titleIt: 'Avviso già pagato tramite la piattaforma: PPT_PAGAMENTO_DUPLICATO, il PSP non lo ripaga',
    seat: 'psp',
    checks: stopSpecs('NM-PSPPAY-ERR-07', ['IF-activatePaymentNotice-F70']),
    async run(t) {
      const n = t.position();
      const pre = await t.harnessPsp.payNotice({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber });
      if (!pre.paymentToken || pre.outcome?.outcome !== 'OK') return t.harnessError('the harness could not pay the notice beforehand');
      const { report } = await runPay(t, { action: 'pay', verify: false, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      const f = judgeStopped(t, n, 'PPT_PAGAMENTO_DUPLICATO');
      checkReport(f, report, ['not-paid', 'failed']);
    },
  },
  {
    id: 'PSP-CONC-01',
    title: 'A session is open on the notice: PPT_PAGAMENTO_IN_CORSO, no new session with a new key',
    titleIt: 'Una sessione è aperta sull’avviso: PPT_PAGAMENTO_IN_CORSO, nessuna nuova sessione con nuova chiave',
    seat: 'psp',
    checks: stopSpecs('NM-PSPPAY-CONC-01', ['IF-activatePaymentNotice-F70']),
    async run(t) {
      const n = t.position();
      const pre = await t.harnessPsp.activate({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber }, n.amountCents);
      if (!pre.paymentToken) return t.harnessError('the harness could not open a session on the notice beforehand');
      const { report } = await runPay(t, { action: 'pay', verify: false, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      const f = judgeStopped(t, n, 'PPT_PAGAMENTO_IN_CORSO');
      checkReport(f, report, ['not-paid', 'failed']);
    },
  },
  {
    id: 'PSP-ERR-08',
    title: 'EC station does not answer in time: PPT_STAZIONE_INT_PA_TIMEOUT, no Stand-In, the PSP stops',
    titleIt: 'La stazione EC non risponde in tempo: PPT_STAZIONE_INT_PA_TIMEOUT, niente Stand-In, il PSP si ferma',
    seat: 'psp',
    // no Stand-In for this notice (NM-SI-ERR-01): the timeout reaches the PSP, which stops
    checks: stopSpecs('NM-PSPPAY-ERR-08', ['NM-SI-ERR-01']),
    async run(t) {
      const n = t.position();
      for (const primitive of ['paVerifyPaymentNotice', 'paGetPayment', 'paGetPaymentV2']) t.faults.add({ side: 'outbound', primitive, match: { noticeNumber: n.noticeNumber }, fault: { kind: 'delay', ms: t.nodo.stationTimeouts[primitive === 'paVerifyPaymentNotice' ? 'paVerifyPaymentNotice' : 'paGetPayment'] + 1000 } });
      const { report } = await runPay(t, { action: 'pay', verify: true, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      const f = judgeStopped(t, n, 'PPT_STAZIONE_INT_PA_TIMEOUT');
      checkReport(f, report, ['not-paid', 'failed']);
    },
  },
  {
    id: 'PSP-ERR-09',
    title: 'EC station unreachable: PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE, the PSP stops',
    titleIt: 'Stazione EC irraggiungibile: PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE, il PSP si ferma',
    seat: 'psp',
    checks: stopSpecs('NM-PSPPAY-ERR-09'),
    async run(t) {
      const n = t.position();
      for (const primitive of ['paVerifyPaymentNotice', 'paGetPayment', 'paGetPaymentV2']) t.faults.add({ side: 'outbound', primitive, match: { noticeNumber: n.noticeNumber }, fault: { kind: 'refused' } });
      const { report } = await runPay(t, { action: 'pay', verify: false, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      const f = judgeStopped(t, n, 'PPT_STAZIONE_INT_PA_IRRAGGIUNGIBILE');
      checkReport(f, report, ['not-paid', 'failed']);
    },
  },
  {
    id: 'PSP-ERR-11',
    title: 'EC unknown to the platform: PPT_DOMINIO_SCONOSCIUTO, the PSP stops',
    titleIt: 'EC sconosciuto alla piattaforma: PPT_DOMINIO_SCONOSCIUTO, il PSP si ferma',
    seat: 'psp',
    checks: stopSpecs('NM-PSPPAY-ERR-11'),
    async run(t) {
      const n = t.freshNotice('99999999999');
      const { report } = await runPay(t, { action: 'pay', verify: true, fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber, amount: n.amount, amountCents: n.amountCents });
      const f = judgeStopped(t, n, 'PPT_DOMINIO_SCONOSCIUTO');
      checkReport(f, report, ['not-paid', 'failed']);
    },
  },
];

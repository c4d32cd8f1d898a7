// Checks of a payment the PSP was asked to make (verify → activate → outcome), as data (paidSpecs)
// and as one judge (judgePaid), shared by the payment, stand-in and multi-beneficiary scenarios.
import type { JournalEntry } from '../../src/core/journal.js';
import type { PspContext } from '../../seats/psp.js';
import { type CheckSpec, spec } from '../../src/core/scenario.js';
import { child, textOf } from '../../src/wire/xml.js';
import { ACTIVATES, NOTICE_OPS, OUTCOMES, answer, bodyOf, checkOutcomeInTime, outcomeSpecs, same } from './lib.js';
import { isUsable } from '../../src/wire/answer.js';
import { TPSPO_MS } from '../../domain/service-levels.js';
import type { Flow } from './wire.js';

/** qrCode of the PSP's notice requests = the notice it was asked about. */
export const QR_SPECS: CheckSpec[] = [spec('qrcode', ['qrCode = the EC fiscal code (11 digits) and the 18-digit notice number, copied verbatim', 'qrCode = il codice fiscale dell’EC (11 cifre) e il numero avviso di 18 cifre, copiati alla lettera'], ['NM-X-NAV-01', 'IF-verifyPaymentNotice-F05', 'IF-activatePaymentNotice-F06'])];

export function checkQrCode(t: PspContext, n: { fiscalCode: string; noticeNumber: string }): boolean {
  const reqs = t.requests(NOTICE_OPS).filter((e) => bodyOf(e));
  if (!reqs.length) return true;
  const wrong = reqs.filter((e) => {
    const qr = child(bodyOf(e), 'qrCode');
    return textOf(qr, 'fiscalCode') !== n.fiscalCode || textOf(qr, 'noticeNumber') !== n.noticeNumber;
  });
  const ids = [...new Set(reqs.map((e) => (e.primitive === 'verifyPaymentNotice' ? 'IF-verifyPaymentNotice-F05' : 'IF-activatePaymentNotice-F06')))];
  const show = (e: JournalEntry) => `${e.primitive}: ${textOf(child(bodyOf(e), 'qrCode'), 'fiscalCode')}/${textOf(child(bodyOf(e), 'qrCode'), 'noticeNumber')}`;
  return t.check({
    id: 'qrcode', requirements: ['NM-X-NAV-01', ...ids],
    held: wrong.length === 0,
    message: wrong.length
      ? [`${wrong.map(show).join('; ')}, expected ${n.fiscalCode}/${n.noticeNumber}`, `${wrong.map(show).join('; ')}, atteso ${n.fiscalCode}/${n.noticeNumber}`]
      : [`${reqs.length} request(s) for ${n.fiscalCode}/${n.noticeNumber}`, `${reqs.length} richieste per ${n.fiscalCode}/${n.noticeNumber}`],
    entries: wrong.length ? wrong : reqs,
  });
}

export function paidSpecs(req: string, o: { version?: boolean; also?: string[] } = {}): CheckSpec[] {
  return [
    spec('activated', ['the PSP activates the notice and gets a token', 'il PSP attiva l’avviso e ottiene un token'], req),
    ...(o.version ? [spec('primitive-version', ['the PSP uses the primitive version it was asked to', 'il PSP usa la versione della primitiva richiesta'], req)] : []),
    ...QR_SPECS,
    spec('outcome-ok', ['the PSP sends sendPaymentOutcome OK for the token and the Nodo accepts it', 'il PSP invia sendPaymentOutcome OK per il token e il Nodo lo accetta'], [req, ...(o.also ?? [])]),
    spec('details', ['an OK outcome carries the payment details (paymentMethod, fee, dates)', 'un esito OK riporta i dettagli del pagamento (paymentMethod, commissione, date)'], ['NM-TOK-VAL-04', 'IF-sendPaymentOutcome-F70'], 'SHOULD'),
    spec('outcome-2s', ['the outcome follows the end of the payment within 2 s (TPSPO, per message SHOULD)', 'l’esito segue la fine del pagamento entro 2 s (TPSPO, SHOULD per messaggio)'], 'NM-SLA-KPI-01', 'SHOULD'),
    ...outcomeSpecs(),
  ];
}

/** Checks of a nominal payment: qrCode, activation, outcome OK accepted, details, timing. */
export function judgePaid(f: Flow, n: { fiscalCode: string; noticeNumber: string }, o: { v2?: boolean } = {}): JournalEntry | undefined {
  const t = f.t;
  checkQrCode(t, n);
  const acts = t.requests(ACTIVATES);
  const act = acts.find((e) => answer(t, e).outcome === 'OK');
  const ab = act ? answer(t, act) : undefined;
  f.check({ id: 'activated', held: !!act, message: act ? same(`token ${textOf(ab!.body, 'paymentToken')}`) : [`${acts.length} activation(s), none OK`, `${acts.length} attivazioni, nessuna OK`], entries: act ? [act, ab!.response] : acts.flatMap((e) => [e, answer(t, e).response]) });
  if (!act) {
    for (const id of ['outcome-ok', 'details', 'outcome-2s']) f.skip(id, ['no activation succeeded: no payment to judge', 'nessuna attivazione riuscita: nessun pagamento da giudicare']);
    if (o.v2 !== undefined) f.skip('primitive-version', ['no activation succeeded', 'nessuna attivazione riuscita']);
    checkOutcomeInTime(f);
    return undefined;
  }
  if (o.v2 !== undefined) {
    const want = o.v2 ? 'activatePaymentNoticeV2' : 'activatePaymentNotice';
    f.check({ id: 'primitive-version', title: [`the PSP uses ${want} as asked`, `il PSP usa ${want} come richiesto`], held: act.primitive === want, message: [`used ${act.primitive}`, `usata ${act.primitive}`], entries: [act] });
  }
  const out = t.requests(OUTCOMES).find((e) => isUsable(answer(t, e)));
  const ob = bodyOf(out);
  const oa = out ? answer(t, out) : undefined;
  f.check({
    id: 'outcome-ok',
    held: !!out && textOf(ob, 'outcome') === 'OK' && oa?.outcome === 'OK', message: out ? [`outcome ${textOf(ob, 'outcome')} → ${oa?.outcome} ${oa?.fault?.faultCode ?? ''}`, `esito ${textOf(ob, 'outcome')} → ${oa?.outcome} ${oa?.fault?.faultCode ?? ''}`] : ['no answered outcome', 'nessun esito con risposta'],
    entries: out ? [out, oa?.response] : [act, ab!.response],
  });
  if (out && textOf(ob, 'outcome') === 'OK') {
    f.check({ id: 'details', held: !!child(ob, 'details'), message: child(ob, 'details') ? ['details present', 'elemento details presente'] : ['no details', 'elemento details assente'], entries: [out] });
    const ansAt = ab!.response?.at ?? act.at;
    const gap = out.at - ansAt;
    f.check({ id: 'outcome-2s', held: gap <= TPSPO_MS, message: [`${gap} ms between the activation answer and the outcome`, `${gap} ms tra la risposta all’attivazione e l’esito`], entries: [ab!.response, out] });
  } else {
    f.skip('details', ['no OK outcome was sent', 'nessun esito OK è stato inviato']);
    f.skip('outcome-2s', ['no OK outcome was sent', 'nessun esito OK è stato inviato']);
  }
  checkOutcomeInTime(f);
  return act;
}

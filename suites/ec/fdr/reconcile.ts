// Reconciliation by the candidate EC, new model (catalogue §3.10): flows built from the run's receipts
// and from collections without a receipt, published by SOAP and FdR 3, reconciliation rounds asked with
// the trigger fdr-reconcile, then judged through the protocol (the EC's reads at the Nodo; a later verify
// of a position reported with code 9 / 8 is refused as paid) and, when declared, the EC's read-back.
// One scenario per requirement of the EC seat (NM-FDR-*, NM-MB-FDR-01).
import { spec, type Notice, type ScenarioDef } from '../../../src/core/scenario.js';
import type { EcContext } from '../../../seats/ec.js';
import { parseNotice } from '../../../domain/common.js';
import type { FlowLine, ReportingFlow } from '../../../domain/fdr/types.js';
import { checkKo, verifyAtEc } from '../lib.js';
import { answerSaid } from '../../../src/wire/answer.js';
import { joinSaid, type Bi } from '../../../src/core/text.js';
import { provisionExt } from '../platform-lib.js';
import type { JournalEntry } from '../../../src/core/journal.js';
import { offersFeature } from '../../../src/profile/index.js';
import { type BookedLine, type FlowKey, askReconcile, bookedTwice, collectedLine, fdrOf, harnessFlow, missingLines, publishRest, publishSoap, readBack, readsRest, readsSoap, receiptLines } from './lib.js';
import { judgeRestRound, judgeSoapRound, restRound, soapRound } from './rounds.js';
import { judgeRequestFields, requestFieldsSpec } from '../../request-fields.js';
import { LIST_FIELDS, READ_FIELDS } from './fields.js';

type S = ScenarioDef<EcContext>;
const NO_REDOWNLOAD: Bi = ['a second round downloads no flow already reconciled', 'un secondo giro non scarica alcun flusso già riconciliato'];
const iuvOf = (n: Pick<Notice, 'noticeNumber'>): string => parseNotice(n.noticeNumber)?.iuv ?? n.noticeNumber.slice(1);
export const UNKNOWN_FLOW = '2020-01-01CLLDITMM001-sconosciuto';

/** Pays a notice end to end through the Nodo; its receipt from the run's ledger. */
async function paid(t: EcContext, n: Pick<Notice, 'fiscalCode' | 'noticeNumber' | 'amountCents'>) {
  const r = await t.psp.payNotice({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber }, { skipVerify: true, amountCents: n.amountCents ?? 1000 });
  if (!r.paymentToken || r.outcome?.outcome !== 'OK') {
    const [en, it] = answerSaid(r.activate ?? {});
    return t.inconclusive([`the payment of ${n.noticeNumber} could not be completed (${en})`, `il pagamento di ${n.noticeNumber} non si è potuto completare (${it})`]);
  }
  const d = await t.nodo.waitDelivery(r.paymentToken, n.fiscalCode).catch(() => undefined);
  if (d?.state !== 'delivered') return t.inconclusive([`the receipt of ${n.noticeNumber} was not accepted: see EC-PAY-01`, `la ricevuta di ${n.noticeNumber} non è stata accettata: vedi EC-PAY-01`]);
  const rec = t.ledger.receipts({ ecFiscalCode: n.fiscalCode }).find((x) => x.receiptId === r.paymentToken);
  return rec ?? t.inconclusive([`the run's ledger holds no receipt ${r.paymentToken}`, `il registro del collaudo non contiene la ricevuta ${r.paymentToken}`]);
}

/** One round for `fiscalCode` (the station's EC by default), over when the EC has read `read` (RoundEnd) and answered `flows`. */
const ask = (t: EcContext, read: FlowKey[], o: { fiscalCode?: string; flows?: { flowId: string; idPSP?: string; revision?: number }[] } = {}) =>
  askReconcile(t, fdrOf(t), { model: 'new', fiscalCode: o.fiscalCode ?? t.station.idPA, soap: { url: t.nodo.nodeForPaUrl, reads: t.nodo.fdr, idStation: t.station.idStation }, password: t.profile.old?.password, flows: o.flows, until: { read } });

/** The read-back, or NOT_EXERCISED on `ids` with the reason. */
async function readBackOr(t: EcContext, fiscalCode: string, ids: string[]) {
  const rb = await readBack(t, fiscalCode, t.embeddedEcUrl);
  if (!rb) for (const id of ids) t.notExercised(id, ['the profile declares no reconciliation read-back (fdr.readBack): what the EC booked cannot be seen on the wire', 'il profilo non dichiara alcuna rilettura della riconciliazione (fdr.readBack): ciò che l’EC ha registrato non si vede sulla rete']);
  return rb;
}

const notBooked = (missing: FlowLine[]): Bi => {
  const keys = missing.map((l) => `${l.iuv}/${l.iur}/${l.idTransfer}`).join(', ');
  return [`not booked: ${keys}`, `non registrate: ${keys}`];
};

/** Every line of `expected` booked once, codes 0 and 4 matched to a receipt. */
function checkBooked(t: EcContext, id: string, rb: NonNullable<Awaited<ReturnType<typeof readBack>>>, ec: string, expected: FlowLine[]): void {
  const missing = missingLines(rb.lines, ec, expected);
  const mine = rb.lines.filter((l) => expected.some((x) => x.iur === l.iur));
  const unmatched = mine.filter((l) => (l.outcomeCode === '0' || l.outcomeCode === '4') && l.status !== 'matched');
  const held = !missing.length && !unmatched.length;
  t.check({
    id,
    held,
    message: joinSaid(
      [
        missing.length ? notBooked(missing) : ([`all ${expected.length} line(s) booked`, expected.length === 1 ? 'l’unica riga registrata' : `tutte le ${expected.length} righe registrate`] as Bi),
        unmatched.length ? ([`codes 0/4 not matched to their receipt: ${unmatched.map((l) => l.iur).join(', ')}`, `codici 0/4 non abbinati alla loro ricevuta: ${unmatched.map((l) => l.iur).join(', ')}`] as Bi) : undefined,
      ].filter((x): x is Bi => !!x),
    ),
    entries: rb.entries,
  });
}

export const reconcileScenarios: S[] = [
  {
    id: 'EC-FDR-01',
    title: 'FdR by SOAP (nodeForPa): the EC lists, downloads each new flow once, not again in the next round, and asks for an unknown flow once',
    titleIt: 'FdR via SOAP (nodeForPa): l’EC elenca, scarica una volta ogni nuovo flusso, non di nuovo al giro successivo, e chiede una volta un flusso sconosciuto',
    seat: 'ec',
    writes: { payable: 1 },
    checks: [
      spec('soap-sequence', ['nodoChiediElencoFlussiRendicontazione first, then each listed flow downloaded at most once', 'prima nodoChiediElencoFlussiRendicontazione, poi ogni flusso elencato scaricato al più una volta'], ['NM-FDR-PAY-02']),
      spec('no-reread', NO_REDOWNLOAD, ['NM-FDR-PAY-02']),
      spec('unknown-flow', ['a flow id the Nodo does not know (PPT_ID_FLUSSO_SCONOSCIUTO) is asked for once, not again in the round', 'un identificativo di flusso che il Nodo non conosce (PPT_ID_FLUSSO_SCONOSCIUTO) è chiesto una volta, non di nuovo nel giro'], ['NM-FDR-PAY-02']),
      spec(
        'caller-identified',
        [
          "the EC's nodeForPa requests identify its station (intermediary, station, password): the Nodo's caller rule accepts them (on nodeForPa the pair idBrokerPA/idStation and the password, IF-X-16)",
          'le richieste nodeForPa dell’EC identificano la sua stazione (intermediario, stazione, password): la regola del Nodo sul chiamante le accetta (su nodeForPa la coppia idBrokerPA/idStation e la password, IF-X-16)',
        ],
        ['NM-X-AUTH-01', 'IF-X-16'],
      ),
      requestFieldsSpec(LIST_FIELDS, 'nodeForPa'),
      requestFieldsSpec(READ_FIELDS, 'nodeForPa'),
    ],
    async run(t) {
      if (!readsSoap(t)) return t.notApplicable(['the profile says the EC takes its flows by SFTP, not SOAP (fdr.transports leaves out soap): NM-FDR-PAY-02 is MAY-if-offered', 'il profilo dice che l’EC prende i flussi via SFTP, non SOAP (fdr.transports esclude soap): NM-FDR-PAY-02 è MAY se offerto']);
      const n = await t.ownNotice('payable');
      const flow = harnessFlow(t, t.station.idPA, [collectedLine(t, iuvOf(n), n.amountCents ?? 1000)]);
      publishSoap(fdrOf(t), flow, 'new');
      const r1 = await soapRound(t, () => ask(t, [flow]));
      judgeSoapRound(t, r1, { sequence: 'soap-sequence', expect: [flow.flowId] });
      const refused = r1.entries.filter((e) => e.direction === 'response' && /faultCode>\s*PPT_(AUTENTICAZIONE|STAZIONE_INT_PA|INTERMEDIARIO_PA|DOMINIO)/.test(e.raw));
      if (!r1.entries.length) t.notExercised('caller-identified', ['the EC made no nodeForPa request', 'l’EC non ha fatto alcuna richiesta nodeForPa']);
      else {
        const codes = refused.map((e) => /faultCode>\s*([A-Z_]+)/.exec(e.raw)?.[1]).join(', ');
        const n = r1.entries.filter((e) => e.direction === 'request').length;
        const pw = !!t.profile.old?.password;
        t.check({
          id: 'caller-identified',
          held: !refused.length,
          message: refused.length
            ? [`refused by the caller rule: ${codes}`, `rifiutate dalla regola sul chiamante: ${codes}`]
            : [
                `${n} request(s), each accepted by the caller rule${pw ? ' (password checked)' : ' (no station password in the profile: identities only)'}`,
                `${n} ${n === 1 ? 'richiesta, accettata' : 'richieste, ciascuna accettata'} dalla regola sul chiamante${pw ? ' (password verificata)' : ' (nessuna password di stazione nel profilo: solo identità)'}`,
              ],
          entries: (refused.length ? refused : r1.entries).slice(0, 6),
        });
      }
      const own = { identificativoIntermediarioPA: t.station.idBrokerPA, identificativoStazioneIntermediarioPA: t.station.idStation, ...(t.profile.old?.password ? { password: t.profile.old.password } : {}) };
      for (const fields of [LIST_FIELDS, READ_FIELDS]) judgeRequestFields(t, fields, r1.entries, own);
      const r2 = await soapRound(t, () => ask(t, [], { flows: [{ flowId: UNKNOWN_FLOW }] }));
      judgeSoapRound(t, r2, { reread: 'no-reread', known: [flow.flowId], unknown: 'unknown-flow', unknownId: UNKNOWN_FLOW });
    },
  },
  {
    id: 'EC-FDR-02',
    title: 'FdR 3 (organisation API): the EC lists, reads each new flow (latest revision, its payments) once, not again in the next round, and asks for an unknown flow once',
    titleIt: 'FdR 3 (API organizzazioni): l’EC elenca, legge una volta ogni nuovo flusso (ultima revisione, pagamenti), non di nuovo al giro successivo, e chiede una volta un flusso sconosciuto',
    seat: 'ec',
    writes: { payable: 1 },
    checks: [
      spec('rest-sequence', ['GET /organizations/{ec}/fdrs first, then each listed flow (its latest revision) read at most once', 'prima GET /organizations/{ec}/fdrs, poi ogni flusso elencato (la sua ultima revisione) letto al più una volta'], ['NM-FDR-PAY-10']),
      spec('no-reread', ['a second round reads no flow already reconciled', 'un secondo giro non legge alcun flusso già riconciliato'], ['NM-FDR-PAY-10']),
      spec('unknown-flow', ['a flow the Nodo does not know (FDR-3001) is asked for once, not again in the round', 'un flusso che il Nodo non conosce (FDR-3001) è chiesto una volta, non di nuovo nel giro'], ['NM-FDR-PAY-10']),
    ],
    async run(t) {
      if (!readsRest(t)) {
        // FdR 3 is mandatory for ECs (seed 004 L89): a profile that says it is not read declares a MUST not met
        t.check({ id: 'rest-sequence', held: false, message: ['the profile says the EC does not read FdR 3 (fdr.transports leaves out rest); the organisation API is mandatory for ECs (NM-FDR-PAY-10)', 'il profilo dice che l’EC non legge FdR 3 (fdr.transports esclude rest); l’API organizzazioni è obbligatoria per gli EC (NM-FDR-PAY-10)'] });
        return;
      }
      const n = await t.ownNotice('payable');
      const flow = harnessFlow(t, t.station.idPA, [collectedLine(t, iuvOf(n), n.amountCents ?? 1000)]);
      publishRest(t, fdrOf(t), flow);
      const r1 = await restRound(t, () => ask(t, [flow]));
      judgeRestRound(t, r1, { sequence: 'rest-sequence', expect: [flow.flowId] });
      const r2 = await restRound(t, () => ask(t, [], { flows: [{ flowId: UNKNOWN_FLOW, idPSP: flow.idPSP, revision: 1 }] }));
      judgeRestRound(t, r2, { reread: 'no-reread', known: [flow.flowId], unknown: 'unknown-flow', unknownId: UNKNOWN_FLOW });
    },
  },
  {
    id: 'EC-FDR-03',
    title: 'Every outcome code accepted: 0 and 4 matched to their receipts, 8 and 9 close the position (a new verify is refused as paid)',
    titleIt: 'Ogni codice esito accettato: 0 e 4 abbinati alle ricevute, 8 e 9 chiudono la posizione (una nuova verifica è rifiutata come pagata)',
    seat: 'ec',
    writes: { payable: 4 },
    checks: [
      spec('code-9-closed', ['a position reported with code 9 (collected, no receipt) is closed: a new verify is refused PAA_PAGAMENTO_DUPLICATO', 'una posizione rendicontata con codice 9 (incassata, senza ricevuta) è chiusa: una nuova verifica è rifiutata PAA_PAGAMENTO_DUPLICATO'], ['NM-FDR-VAL-04', 'NM-FDR-REC-01']),
      spec('code-8-closed', ['a position reported with code 8 (Stand-In, no receipt) is closed: a new verify is refused PAA_PAGAMENTO_DUPLICATO', 'una posizione rendicontata con codice 8 (Stand-In, senza ricevuta) è chiusa: una nuova verifica è rifiutata PAA_PAGAMENTO_DUPLICATO'], ['NM-FDR-VAL-04', 'NM-FDR-REC-01']),
      spec('lines-booked', ['read-back: every line booked, codes 0 and 4 matched to their receipts by (IUV, IUR = paymentToken, idTransfer)', 'rilettura: ogni riga registrata, codici 0 e 4 abbinati alle loro ricevute per (IUV, IUR = paymentToken, idTransfer)'], ['NM-FDR-REC-01', 'NM-FDR-VAL-02', 'NM-FDR-VAL-03', 'NM-FDR-VAL-04']),
      spec('standin-line', ['read-back: the line reported STAND_IN (code 4) is accepted and matched to its receipt (the FdR half of NM-SI-PAY-01)', 'rilettura: la riga rendicontata STAND_IN (codice 4) è accettata e abbinata alla sua ricevuta (la metà FdR di NM-SI-PAY-01)'], ['NM-SI-PAY-01', 'NM-FDR-VAL-04']),
    ],
    async run(t) {
      const ec = t.station.idPA;
      const [n0, n1, n9, n8] = await Promise.all([0, 1, 2, 3].map((k) => t.ownNotice('payable', k)));
      const fdr = fdrOf(t);
      const r0 = await paid(t, n0!);
      const r1 = await paid(t, n1!);
      const lines: FlowLine[] = [
        ...receiptLines(r0, ec, '0', fdr.days && fdr.dayOf(r0.at)),
        ...receiptLines(r1, ec, '4', fdr.days && fdr.dayOf(r1.at)),
        collectedLine(t, iuvOf(n9!), n9!.amountCents ?? 1000, '9'),
        collectedLine(t, iuvOf(n8!), n8!.amountCents ?? 1000, '8'),
      ];
      const flow = harnessFlow(t, ec, lines);
      if (readsRest(t)) publishRest(t, fdr, flow);
      else publishSoap(fdr, flow, 'new');
      await ask(t, [flow]);
      checkKo(t, await verifyAtEc(t, n9!, 'after reconciliation: reported with code 9'), { id: 'code-9-closed', accept: ['PAA_PAGAMENTO_DUPLICATO'] });
      checkKo(t, await verifyAtEc(t, n8!, 'after reconciliation: reported with code 8'), { id: 'code-8-closed', accept: ['PAA_PAGAMENTO_DUPLICATO'] });
      const rb = await readBackOr(t, ec, ['lines-booked', 'standin-line']);
      if (!rb) return;
      checkBooked(t, 'lines-booked', rb, ec, flow.lines);
      checkBooked(t, 'standin-line', rb, ec, flow.lines.filter((l) => l.outcomeCode === '4'));
    },
  },
  {
    id: 'EC-FDR-04',
    title: 'A revised flow: the EC reconciles on the latest revision and discards the superseded one',
    titleIt: 'Un flusso revisionato: l’EC riconcilia sull’ultima revisione e scarta quella superata',
    seat: 'ec',
    writes: { payable: 2 },
    checks: [
      spec('latest-revision', ['the code-9 position of the latest revision is closed; the one only the superseded revision reported stays payable', 'la posizione con codice 9 dell’ultima revisione è chiusa; quella rendicontata solo dalla revisione superata resta pagabile'], ['NM-FDR-PAY-11', 'NM-FDR-TO-02']),
      spec('superseded-discarded', ['read-back: no line of the superseded revision booked', 'rilettura: nessuna riga della revisione superata registrata'], ['NM-FDR-PAY-11', 'NM-FDR-TO-02']),
    ],
    async run(t) {
      const ec = t.station.idPA;
      const fdr = fdrOf(t);
      const [old, fresh] = await Promise.all([t.ownNotice('payable', 0), t.ownNotice('payable', 1)]);
      const b1 = harnessFlow(t, ec, [collectedLine(t, iuvOf(old), 500)]);
      const b2 = harnessFlow(t, ec, [collectedLine(t, iuvOf(fresh), 500)], b1.flowId);
      // FdR 3 revisions (NM-SM-FDR3); an EC reading only SOAP gets the flow resubmitted with a later dataOraFlusso
      if (readsRest(t)) {
        publishRest(t, fdr, b1);
        publishRest(t, fdr, b2);
      } else {
        publishSoap(fdr, b1, 'new');
        publishSoap(fdr, { ...b2, flowDate: later(b1.flowDate) }, 'new');
      }
      await ask(t, [b2]);
      const vFresh = await verifyAtEc(t, fresh, 'after reconciliation: code 9 in the latest revision');
      const vOld = await verifyAtEc(t, old, 'after reconciliation: code 9 only in the superseded revision');
      const held = vFresh.outcome === 'KO' && vFresh.fault?.faultCode === 'PAA_PAGAMENTO_DUPLICATO' && vOld.outcome === 'OK';
      const [fEn, fIt] = answerSaid(vFresh);
      const [oEn, oIt] = answerSaid(vOld);
      t.check({ id: 'latest-revision', held, message: [`verify of the latest revision's position: ${fEn}; of the superseded revision's: ${oEn}`, `verifica della posizione dell’ultima revisione: ${fIt}; di quella della revisione superata: ${oIt}`], entries: [vFresh.request, vFresh.response, vOld.request, vOld.response] });
      const rb = await readBackOr(t, ec, ['superseded-discarded']);
      if (!rb) return;
      const stale = rb.lines.filter((l) => b1.lines.some((x) => x.iur === l.iur));
      const staleKeys = stale.map((l) => `${l.iuv}/${l.iur}`).join(', ');
      t.check({ id: 'superseded-discarded', held: !stale.length, message: stale.length ? [`booked from the superseded revision: ${staleKeys}`, `registrate dalla revisione superata: ${staleKeys}`] : ['only the latest revision booked', 'registrata solo l’ultima revisione'], entries: rb.entries });
    },
  },
  {
    id: 'EC-FDR-05',
    title: 'The same flow by SOAP and by FdR 3: each line booked once',
    titleIt: 'Lo stesso flusso via SOAP e via FdR 3: ogni riga registrata una volta',
    seat: 'ec',
    writes: { payable: 1 },
    checks: [spec('booked-once', ['read-back: no line booked twice across the SOAP and FdR 3 copies of one flow (NM-A-21)', 'rilettura: nessuna riga registrata due volte tra le copie SOAP e FdR 3 di uno stesso flusso (NM-A-21)'], ['NM-FDR-DUP-01'])],
    async run(t) {
      if (!readsRest(t) || !readsSoap(t)) return t.notApplicable(['the EC reads flows by one transport only (fdr.transports): it never meets two copies of one flow', 'l’EC legge i flussi con un solo canale (fdr.transports): non incontra mai due copie di uno stesso flusso']);
      const ec = t.station.idPA;
      const fdr = fdrOf(t);
      const n = await t.ownNotice('payable');
      const r = await paid(t, n);
      const flow: ReportingFlow = harnessFlow(t, ec, [...receiptLines(r, ec, '0', fdr.days && fdr.dayOf(r.at)), collectedLine(t, `${iuvOf(n)}`, 100, '9')]);
      publishRest(t, fdr, flow);
      publishSoap(fdr, { ...flow, flowDate: later(flow.flowDate) }, 'new');
      await ask(t, [flow]);
      const rb = await readBackOr(t, ec, ['booked-once']);
      if (!rb) return;
      const mine = rb.lines.filter((l) => l.flowId === flow.flowId);
      const twice = bookedTwice(mine);
      t.check({
        id: 'booked-once',
        held: !twice.length && mine.length > 0,
        message: twice.length ? [`booked more than once: ${twice.join(', ')}`, `registrate più di una volta: ${twice.join(', ')}`] : [`${mine.length} line(s) of ${flow.flowId}, each booked once`, `${mine.length} ${mine.length === 1 ? 'riga' : 'righe'} di ${flow.flowId}, ciascuna registrata una volta`],
        entries: rb.entries,
      });
    },
  },
  {
    id: 'EC-FDR-06',
    title: 'A split payment: each beneficiary EC books only its own transfers, each by (IUV, IUR, idTransfer)',
    titleIt: 'Un pagamento multibeneficiario: ogni EC beneficiario registra solo i propri trasferimenti, ciascuno per (IUV, IUR, idTransfer)',
    seat: 'ec',
    // without multi-beneficiary notices: a split collection of one of its own notices (code 9, two transfers)
    writes: { payable: 1 },
    checks: [
      spec('split-booked', ["read-back: each EC books its own transfers of the split as separate lines (IUV, IUR, idTransfer), none of another EC's", 'rilettura: ogni EC registra i propri trasferimenti del pagamento multibeneficiario come righe separate (IUV, IUR, idTransfer), nessuno di un altro EC'], ['NM-MB-FDR-01', 'NM-FDR-REC-02', 'NM-FDR-VAL-02']),
    ],
    async run(t) {
      const fdr = fdrOf(t);
      const ec = t.station.idPA;
      const secondary = t.profile.ec.secondaryEcs?.[0];
      const perEc = new Map<string, FlowLine[]>();
      if (secondary && offersFeature(t.profile, 'multiBeneficiary', 'new') && t.provisioningUrl) {
        // a real split: transfers 1, 2 to the EC, 3 to the secondary EC the same station serves
        const n = await provisionExt(t, { state: 'payable', transfers: 3, secondaryFiscalCode: secondary, amountCents: 3000 });
        const r = await paid(t, n);
        const day = fdr.days && fdr.dayOf(r.at);
        perEc.set(ec, receiptLines(r, ec, '0', day));
        perEc.set(secondary, receiptLines(r, secondary, '0', day));
        const split = r.transfers.map((x) => `${x.index}→${x.ecFiscalCode}`).join(', ');
        if ((perEc.get(ec)?.length ?? 0) < 2 || !perEc.get(secondary)?.length) return t.inconclusive([`the receipt's transfers do not split as provisioned (${split})`, `i trasferimenti della ricevuta non si ripartiscono come predisposto (${split})`]);
      } else {
        const n = await t.ownNotice('payable');
        const line = collectedLine(t, iuvOf(n), 700);
        perEc.set(ec, [line, { ...line, idTransfer: 2, amountCents: 300 }]);
      }
      const flows = [...perEc].map(([fc, lines]) => harnessFlow(t, fc, lines));
      for (const f of flows) {
        if (readsRest(t)) publishRest(t, fdr, f);
        else publishSoap(fdr, f, 'new');
      }
      for (const f of flows) await ask(t, [f], { fiscalCode: f.ecFiscalCode });
      const lines: BookedLine[] = [];
      const entries: (JournalEntry | undefined)[] = [];
      for (const fc of perEc.keys()) {
        const rb = fc === ec ? await readBackOr(t, fc, ['split-booked']) : await readBack(t, fc, t.embeddedEcUrl);
        if (!rb) return;
        lines.push(...rb.lines);
        entries.push(...rb.entries);
      }
      const missing = [...perEc].flatMap(([fc, l]) => missingLines(lines, fc, l));
      const crossed = lines.filter((b) => [...perEc].some(([fc, l]) => fc !== b.ecFiscalCode && l.some((x) => x.iur === b.iur && x.idTransfer === b.idTransfer)));
      const all = [...perEc.values()].flat();
      const twice = bookedTwice(lines.filter((b) => all.some((x) => x.iur === b.iur)));
      t.check({
        id: 'split-booked',
        held: !missing.length && !crossed.length && !twice.length,
        message: joinSaid(
          [
            missing.length ? notBooked(missing) : joinSaid([...perEc].map(([fc, l]): Bi => [`transfers ${l.map((x) => x.idTransfer).join(', ')} at ${fc}`, `trasferimenti ${l.map((x) => x.idTransfer).join(', ')} presso ${fc}`])),
            crossed.length ? (["another EC's transfer booked", 'registrato il trasferimento di un altro EC'] as Bi) : undefined,
            twice.length ? ([`booked twice: ${twice.join(', ')}`, `registrate due volte: ${twice.join(', ')}`] as Bi) : undefined,
          ].filter((x): x is Bi => !!x),
        ),
        entries,
      });
    },
  },
  {
    id: 'EC-FDR-07',
    title: 'A collection the platform refused after the token expired, reported with code 9: the EC closes the position it never got a receipt for',
    titleIt: 'Un incasso rifiutato dalla piattaforma a token scaduto, rendicontato con codice 9: l’EC chiude la posizione di cui non ha ricevuto la ricevuta',
    seat: 'ec',
    writes: { payable: 1 },
    checks: [
      spec(
        'late-collection-closed',
        [
          'the notice whose outcome came after the token expired (no receipt) and that the FdR reports with code 9 is closed: a new verify is refused PAA_PAGAMENTO_DUPLICATO',
          'l’avviso il cui esito è arrivato dopo la scadenza del token (senza ricevuta) e che il FdR rendiconta con codice 9 è chiuso: una nuova verifica è rifiutata PAA_PAGAMENTO_DUPLICATO',
        ],
        ['NM-TOK-ERR-03', 'NM-FDR-VAL-04'],
      ),
    ],
    async run(t) {
      const n = await t.ownNotice('payable');
      const amount = n.amountCents ?? 1000;
      // a short token, then the outcome after it expired: the Nodo refuses it, no receipt reaches the EC
      const a = await t.psp.activate({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber }, amount, { expirationTimeMs: 2000 });
      const token = a.paymentToken;
      if (!token) {
        const [en, it] = answerSaid(a);
        return t.inconclusive([`the activation of ${n.noticeNumber} failed (${en}): see EC-PAY-01`, `l’attivazione di ${n.noticeNumber} è fallita (${it}): vedi EC-PAY-01`]);
      }
      await t.clock.spend(3000);
      const o = await t.psp.outcome(token, 'OK');
      if (o.outcome === 'OK') {
        const [en, it] = answerSaid(o);
        return t.inconclusive([`the Nodo accepted the outcome after the token expired (${en}): the receipt exists, nothing for code 9 to report`, `il Nodo ha accettato l’esito dopo la scadenza del token (${it}): la ricevuta esiste, nulla da rendicontare con codice 9`]);
      }
      const flow = harnessFlow(t, t.station.idPA, [{ ...collectedLine(t, iuvOf(n), amount, '9'), iur: token }]);
      if (readsRest(t)) publishRest(t, fdrOf(t), flow);
      else publishSoap(fdrOf(t), flow, 'new');
      await ask(t, [flow]);
      checkKo(t, await verifyAtEc(t, n, 'after reconciliation: collected after the token expired, reported with code 9'), { id: 'late-collection-closed', accept: ['PAA_PAGAMENTO_DUPLICATO'] });
    },
  },
];

/** A dataOraFlusso one second later (a SOAP resubmission must be newer, NM-TR-16). */
function later(flowDate: string): string {
  const ms = Date.parse(`${flowDate}Z`);
  return Number.isNaN(ms) ? flowDate : new Date(ms + 1000).toISOString().slice(0, 19);
}

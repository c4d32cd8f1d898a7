// Reconciliation by the candidate EC, new model (catalogue §3.10): flows built from the run's receipts
// and from collections without a receipt, published by SOAP and FdR 3 (a copy of one flow on both, a
// revised flow), two reconciliation rounds, then judged through the protocol (its reads at the Nodo;
// a later verify of a position reported with code 9 / 8 is refused as paid) and the read-back.
import { spec, type Notice, type ScenarioDef } from '../../../src/core/scenario.js';
import type { EcContext } from '../../../seats/ec.js';
import { parseNotice } from '../../../domain/common.js';
import type { FlowLine } from '../../../domain/fdr/types.js';
import { checkKo, describeAnswer, verifyAtEc } from '../lib.js';
import { askReconcile, bookedTwice, collectedLine, describeReads, fdrOf, harnessFlow, missingLines, publishRest, publishSoap, readBack, readsRest, readsSoap, receiptLines, restReads, soapMark, soapReads } from './lib.js';

type S = ScenarioDef<EcContext>;
const iuvOf = (n: Notice): string => parseNotice(n.noticeNumber)?.iuv ?? n.noticeNumber.slice(1);
const UNKNOWN_FLOW = '2020-01-01CLLDITMM001-sconosciuto';

/** Pays a notice end to end through the Nodo; its receipt from the run's ledger. */
async function paid(t: EcContext, n: Notice) {
  const r = await t.psp.payNotice({ fiscalCode: n.fiscalCode, noticeNumber: n.noticeNumber }, { skipVerify: true, amountCents: n.amountCents ?? 1000 });
  if (!r.paymentToken || r.outcome?.outcome !== 'OK') return t.inconclusive(`the payment of ${n.noticeNumber} could not be completed (${describeAnswer(r.activate ?? {})})`);
  const d = await t.nodo.waitDelivery(r.paymentToken, n.fiscalCode).catch(() => undefined);
  if (d?.state !== 'delivered') return t.inconclusive(`the receipt of ${n.noticeNumber} was not accepted: see EC-PAY-01`);
  const rec = t.ledger.receipts({ ecFiscalCode: n.fiscalCode }).find((x) => x.receiptId === r.paymentToken);
  return rec ?? t.inconclusive(`the run's ledger holds no receipt ${r.paymentToken}`);
}

export const reconcileScenarios: S[] = [
  {
    id: 'EC-FDR-01',
    title: 'Reconciliation: the EC lists and reads each new flow once (SOAP and FdR 3), closes code-9/8 positions, books each line once on the latest revision',
    titleIt: 'Riconciliazione: l’EC elenca e scarica una volta ogni nuovo flusso (SOAP e FdR 3), chiude le posizioni con codice 9/8, registra ogni riga una volta sull’ultima revisione',
    seat: 'ec',
    writes: { payable: 6 },
    checks: [
      spec('soap-sequence', 'SOAP: nodoChiediElencoFlussiRendicontazione first, then each listed flow downloaded at most once', ['NM-FDR-PAY-02']),
      spec('rest-sequence', 'FdR 3: the organisation list first, then each listed flow (its latest revision) read at most once', ['NM-FDR-PAY-10']),
      spec('no-reread', 'a second round reads no flow it already reconciled', ['NM-FDR-PAY-02', 'NM-FDR-PAY-10']),
      spec('unknown-flow', 'a flow id the Nodo does not know (PPT_ID_FLUSSO_SCONOSCIUTO / FDR-3001) is asked once, not again and again', ['NM-FDR-PAY-02', 'NM-FDR-PAY-10']),
      spec('code-9-closed', 'a position reported with code 9 (collected, no receipt) is closed: a new verify is refused PAA_PAGAMENTO_DUPLICATO', ['NM-FDR-VAL-04', 'NM-FDR-REC-01']),
      spec('code-8-closed', 'a position reported with code 8 (Stand-In, no receipt) is closed: a new verify is refused PAA_PAGAMENTO_DUPLICATO', ['NM-FDR-VAL-04', 'NM-FDR-REC-01']),
      spec('latest-revision', 'the EC reconciles on the latest revision: its code-9 position is closed, the one only the superseded revision reported stays payable', ['NM-FDR-PAY-11', 'NM-FDR-TO-02']),
      spec('booked-once', 'read-back: no line booked twice across the SOAP and FdR 3 copies of one flow', ['NM-FDR-DUP-01']),
      spec('lines-booked', 'read-back: every line of the latest revisions booked (each transfer of a split by IUV, IUR, idTransfer); codes 0 and 4 matched to their receipts', ['NM-FDR-REC-01', 'NM-FDR-VAL-02', 'NM-FDR-VAL-03', 'NM-MB-FDR-01', 'NM-FDR-REC-02']),
    ],
    async run(t) {
      const fdr = fdrOf(t);
      const ec = t.station.idPA;
      const [n0, n1, n2, n3, n4, n5] = await Promise.all([0, 1, 2, 3, 4, 5].map((k) => t.ownNotice('payable', k)));
      const r0 = await paid(t, n0!);
      const r1 = await paid(t, n1!);
      // flow A: a receipt (0), a receipt reported in Stand-In (4), a split collection without receipt (9, two transfers), a Stand-In collection (8)
      const split = collectedLine(t, iuvOf(n2!), 700);
      const linesA: FlowLine[] = [
        ...receiptLines(r0, ec, '0', fdr.days && fdr.dayOf(r0.at)),
        ...receiptLines(r1, ec, '4', fdr.days && fdr.dayOf(r1.at)),
        split,
        { ...split, idTransfer: 2, amountCents: 300 },
        collectedLine(t, iuvOf(n3!), n3!.amountCents ?? 1000, '8'),
      ];
      const flowA = harnessFlow(t, ec, linesA);
      const since = soapMark(t.nodo.fdr, t.station.idStation);
      // the same flow by SOAP and by FdR 3 (NM-A-21: one store, both readers)
      publishSoap(fdr, flowA, 'new');
      publishRest(t, fdr, flowA);
      // flow B: revision 1 reports n4 with code 9, revision 2 corrects it to n5
      const b1 = harnessFlow(t, ec, [collectedLine(t, iuvOf(n4!), 500)]);
      publishRest(t, fdr, b1);
      const b2 = harnessFlow(t, ec, [collectedLine(t, iuvOf(n5!), 500)], b1.flowId);
      publishRest(t, fdr, b2);

      const mark1 = await askReconcile(t, fdr, { model: 'new', fiscalCode: ec, soapUrl: t.nodo.nodeForPaUrl });
      const soap1 = soapReads(t.nodo.fdr, t.station.idStation, since);
      const rest1 = restReads(t, mark1);
      if (readsSoap(t)) {
        const downloads = soap1.filter((r) => r.op === 'download');
        const firstList = soap1.findIndex((r) => r.op === 'list');
        const early = downloads.filter((d) => soap1.indexOf(d) < firstList || firstList < 0);
        const twice = [...new Set(downloads.map((d) => d.flowId))].filter((id) => downloads.filter((d) => d.flowId === id).length > 1);
        const held = firstList >= 0 && !early.length && !twice.length;
        t.check({ id: 'soap-sequence', held, message: `${describeReads(soap1)}${firstList < 0 ? '; never listed' : ''}${early.length ? `; downloaded before listing: ${early.map((d) => d.flowId).join(', ')}` : ''}${twice.length ? `; downloaded more than once: ${twice.join(', ')}` : ''}` });
      } else t.notExercised('soap-sequence', 'the profile says the EC does not read flows by SOAP (reconciliation.soap: false, e.g. SFTP)');
      if (readsRest(t)) {
        const lists = rest1.filter((r) => r.op === 'listOrganizationFlows');
        const reads = rest1.filter((r) => r.op === 'getOrganizationFlow');
        const firstList = rest1.findIndex((r) => r.op === 'listOrganizationFlows');
        const twice = [...new Set(reads.map((r) => r.url))].filter((u) => reads.filter((r) => r.url === u).length > 1);
        const early = reads.filter((r) => rest1.indexOf(r) < firstList || firstList < 0);
        const stale = reads.filter((r) => r.url.includes(`/${b1.flowId}/revisions/1/`));
        const held = lists.length > 0 && !twice.length && !early.length && !stale.length;
        t.check({ id: 'rest-sequence', held, message: `${lists.length} list(s), ${reads.length} flow read(s)${twice.length ? `; read more than once: ${twice.join(', ')}` : ''}${early.length ? '; read before listing' : ''}${stale.length ? `; read the superseded revision 1 of ${b1.flowId}` : ''}`, entries: rest1.flatMap((r) => [r.request, r.response]).slice(0, 20) });
      } else t.notExercised('rest-sequence', 'the profile says the EC does not read FdR 3 (reconciliation.rest: false)');

      // round 2: nothing new, an operator asks for a flow the Nodo does not know
      const since2 = soapMark(t.nodo.fdr, t.station.idStation);
      const mark2 = await askReconcile(t, fdr, { model: 'new', fiscalCode: ec, soapUrl: t.nodo.nodeForPaUrl, flows: [{ flowId: UNKNOWN_FLOW, idPSP: 'CLLDITMM001', revision: 1 }] });
      const soap2 = soapReads(t.nodo.fdr, t.station.idStation, since2);
      const rest2 = restReads(t, mark2);
      const known = [flowA.flowId, b1.flowId];
      const again = [...soap2.filter((r) => r.op === 'download' && known.includes(r.flowId ?? '')).map((r) => `SOAP ${r.flowId}`), ...rest2.filter((r) => r.op === 'getOrganizationFlow' && known.some((k) => r.url.includes(`/${k}/`))).map((r) => `FdR 3 ${r.url.split('/fdrs/')[1]}`)];
      t.check({ id: 'no-reread', held: !again.length, message: again.length ? `read again: ${again.join(', ')}` : `round 2: ${describeReads(soap2)}; ${rest2.length} FdR 3 request(s), none for a flow already reconciled`, entries: rest2.flatMap((r) => [r.request, r.response]).slice(0, 10) });
      const unknownSoap = soap2.filter((r) => r.op === 'download' && r.flowId === UNKNOWN_FLOW).length;
      const unknownRest = rest2.filter((r) => r.op === 'getOrganizationFlow' && r.url.includes(UNKNOWN_FLOW)).length;
      if (unknownSoap + unknownRest === 0) t.notExercised('unknown-flow', 'the EC did not ask for the unknown flow named in the trigger');
      else t.check({ id: 'unknown-flow', held: unknownSoap <= 1 && unknownRest <= 1, message: `asked for ${UNKNOWN_FLOW} ${unknownSoap} time(s) by SOAP and ${unknownRest} by FdR 3 in one round` });

      // through the protocol: what became of the positions
      const v2 = await verifyAtEc(t, n2!, 'after reconciliation: reported with code 9');
      checkKo(t, v2, { id: 'code-9-closed', accept: ['PAA_PAGAMENTO_DUPLICATO'] });
      const v3 = await verifyAtEc(t, n3!, 'after reconciliation: reported with code 8');
      checkKo(t, v3, { id: 'code-8-closed', accept: ['PAA_PAGAMENTO_DUPLICATO'] });
      const v5 = await verifyAtEc(t, n5!, 'after reconciliation: code 9 in the latest revision');
      const v4 = await verifyAtEc(t, n4!, 'after reconciliation: code 9 only in the superseded revision');
      const latest = v5.outcome === 'KO' && v5.fault?.faultCode === 'PAA_PAGAMENTO_DUPLICATO' && v4.outcome === 'OK';
      t.check({ id: 'latest-revision', held: latest, message: `verify of the latest revision's position ${describeAnswer(v5)}; of the superseded revision's ${describeAnswer(v4)}`, entries: [v5.request, v5.response, v4.request, v4.response] });

      // the read-back, when the profile declares one
      const rb = await readBack(t, ec, t.embeddedEcUrl);
      if (!rb) {
        t.notExercised('booked-once', 'the profile declares no reconciliation read-back (reconciliation.readBack): how often a line was booked cannot be seen on the wire');
        t.notExercised('lines-booked', 'the profile declares no reconciliation read-back (reconciliation.readBack)');
        return;
      }
      const twice = bookedTwice(rb.lines);
      t.check({ id: 'booked-once', held: !twice.length, message: twice.length ? `booked more than once: ${twice.join(', ')}` : `${rb.lines.length} line(s), each booked once`, entries: rb.entries });
      const expected = [...flowA.lines, ...b2.lines];
      const missing = missingLines(rb.lines, ec, expected);
      const unmatched = rb.lines.filter((l) => (l.outcomeCode === '0' || l.outcomeCode === '4') && l.status !== 'matched');
      const superseded = rb.lines.filter((l) => b1.lines.some((x) => x.iur === l.iur));
      t.check({
        id: 'lines-booked',
        held: !missing.length && !unmatched.length && !superseded.length,
        message: [missing.length ? `not booked: ${missing.map((l) => `${l.iuv}/${l.iur}/${l.idTransfer}`).join(', ')}` : `all ${expected.length} line(s) booked`, unmatched.length ? `codes 0/4 not matched to a receipt: ${unmatched.map((l) => l.iur).join(', ')}` : '', superseded.length ? 'lines of the superseded revision booked' : ''].filter(Boolean).join('; '),
        entries: rb.entries,
      });
    },
  },
];

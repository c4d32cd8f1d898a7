// Reconciliation by the candidate EC, old model (SANP 2.2.6, §3.10 OLD-FDR-*): the emulated PSP's flow
// published on the run's FlowStore as an accepted nodoInviaFlussoRendicontazione (NodoPerPsp) would, with
// a payment collected without RPT/RT (code 9, L1982, L2668) and a revoked one (code 3, OLD-FDR-05; its
// amount as a positive figure: the schema's importo has no sign); the
// EC lists and downloads at NodoPerPa, then a paaVerificaRPT of the code-9 IUV must be refused as paid
// (OLD-PSP-ERR-17: «L'EC provvederà a modificare lo stato del pagamento in PAGATO», L2112). A second
// round names a flow the Nodo does not know: PPT_ID_FLUSSO_SCONOSCIUTO is not asked again (OLD-FDR-ERR-10).
import { spec, type ScenarioDef } from '../../../src/core/scenario.js';
import type { OldEcContext } from '../../../seats/ec-old.js';
import { iuvOf, verifyAtPsp } from './lib.js';
import { checkKo, checkOk } from './judge.js';
import { type FlowKey, askReconcile, collectedLine, describeReadsSaid, fdrOf, harnessFlow, publishSoap, soapMark, soapReads } from '../fdr/lib.js';

type Def = ScenarioDef<OldEcContext>;
const UNKNOWN_FLOW = '2020-01-01CLLDITMM001-sconosciuto';

/** One round at NodoPerPa, over when the EC has downloaded `read` and had an answer for `flows` (RoundEnd). */
const ask = (t: OldEcContext, read: FlowKey[], flows?: { flowId: string }[]) =>
  askReconcile(t, fdrOf(t), { model: 'old', fiscalCode: t.station.idDominio, soap: { url: t.nodo.urls.nodoPerPa, reads: t.nodo.fdr, idStation: t.station.idStazione }, password: t.station.password, flows, until: { read } });

const reconciliation: Def = {
  id: 'EC-OLD-FDR-01',
  title: 'Reconciliation over NodoPerPa: the EC lists and downloads each new flow once; a code-9 IUV becomes paid; an unknown flow is not asked again',
  titleIt: 'Riconciliazione su NodoPerPa: l’EC elenca e scarica una volta ogni nuovo flusso; uno IUV con codice 9 diventa pagato; un flusso sconosciuto non è richiesto di nuovo',
  seat: 'ec',
  model: 'old',
  feature: 'soapFdr',
  writes: { payable: 3 },
  checks: [
    spec('soap-sequence', ['nodoChiediElencoFlussiRendicontazione first, then each listed flow downloaded at most once (L2298-2310, P10/P11)', 'prima nodoChiediElencoFlussiRendicontazione, poi ogni flusso elencato scaricato al più una volta (L2298-2310, P10/P11)'], ['OLD-FDR-01']),
    spec('code-9-paid', ['the IUV reported with codiceEsitoSingoloPagamento 9 is PAGATO: paaVerificaRPT is refused PAA_PAGAMENTO_DUPLICATO', 'lo IUV rendicontato con codiceEsitoSingoloPagamento 9 è PAGATO: paaVerificaRPT è rifiutata PAA_PAGAMENTO_DUPLICATO'], ['OLD-FDR-04', 'OLD-PSP-ERR-17']),
    spec('revoked-accepted', ['a flow with a revoked line (code 3) is accepted and its IUV is not closed by it', 'un flusso con una riga revocata (codice 3) è accettato e non chiude il relativo IUV'], ['OLD-FDR-05'], 'MAY'),
    spec('no-reread', ['a second round downloads no flow already reconciled', 'un secondo giro non scarica alcun flusso già riconciliato'], ['OLD-FDR-01']),
    spec('unknown-flow', ['PPT_ID_FLUSSO_SCONOSCIUTO: the EC does not ask for that flow again in the round (retry is for PPT_SYSTEM_ERROR)', 'PPT_ID_FLUSSO_SCONOSCIUTO: l’EC non richiede di nuovo quel flusso nel giro (il nuovo tentativo vale per PPT_SYSTEM_ERROR)'], ['OLD-FDR-ERR-10'], 'SHOULD'),
    spec('list-refused', ['after a list the Nodo could not answer, the next round lists again and downloads the flow published meanwhile', 'dopo un elenco a cui il Nodo non ha potuto rispondere, il giro successivo chiede di nuovo l’elenco e scarica il flusso pubblicato nel frattempo'], ['OLD-FDR-ERR-09'], 'MAY'),
  ],
  async run(t) {
    const fdr = fdrOf(t);
    const n9 = await t.ownNotice('payable', 0);
    const n3 = await t.ownNotice('payable', 1);
    const flow = harnessFlow(t, t.station.idDominio, [collectedLine(t, iuvOf(n9), n9.amountCents ?? 1000, '9'), { ...collectedLine(t, iuvOf(n3), n3.amountCents ?? 1000), outcomeCode: '3' }]);
    const mark = soapMark(t.nodo.fdr, t.station.idStazione);
    publishSoap(fdr, flow, 'old');
    await ask(t, [flow]);
    const reads = soapReads(t.nodo.fdr, t.station.idStazione, mark);
    const firstList = reads.findIndex((r) => r.op === 'list');
    const downloads = reads.filter((r) => r.op === 'download');
    const mine = downloads.filter((d) => d.flowId === flow.flowId);
    const evidence = t.journal.entries.filter((e) => e.primitive === 'nodoChiediElencoFlussiRendicontazione' || e.primitive === 'nodoChiediFlussoRendicontazione').slice(0, 20);
    const [readsEn, readsIt] = describeReadsSaid(reads);
    t.check({
      id: 'soap-sequence',
      held: firstList >= 0 && mine.length === 1 && reads.indexOf(mine[0]!) > firstList,
      message: [
        `${readsEn}${firstList < 0 ? '; never listed' : ''}${mine.length !== 1 ? `; ${flow.flowId} downloaded ${mine.length} time(s)` : ''}`,
        `${readsIt}${firstList < 0 ? '; elenco mai chiesto' : ''}${mine.length !== 1 ? `; ${flow.flowId} scaricato ${mine.length} ${mine.length === 1 ? 'volta' : 'volte'}` : ''}`,
      ],
      entries: evidence,
    });

    checkKo(t, 'code-9-paid', (await verifyAtPsp(t, n9)).ec, ['PAA_PAGAMENTO_DUPLICATO'], ['paaVerificaRPT of the IUV the FdR reported with code 9', 'paaVerificaRPT dello IUV che il FdR ha rendicontato con codice 9']);
    checkOk(t, 'revoked-accepted', (await verifyAtPsp(t, n3)).ec, ['paaVerificaRPT of the IUV the FdR reported revoked (code 3)', 'paaVerificaRPT dello IUV che il FdR ha rendicontato revocato (codice 3)']);

    const mark2 = soapMark(t.nodo.fdr, t.station.idStazione);
    const seq2 = t.journal.entries.at(-1)?.seq ?? 0;
    await ask(t, [], [{ flowId: UNKNOWN_FLOW }]);
    const reads2 = soapReads(t.nodo.fdr, t.station.idStazione, mark2);
    const again = reads2.filter((r) => r.op === 'download' && r.flowId === flow.flowId);
    // round 2's lists and downloads at the Nodo: what the EC asked for (none of them the flow it already has)
    const evidence2 = t.journal.entries.filter((e) => e.seq > seq2 && (e.primitive === 'nodoChiediElencoFlussiRendicontazione' || e.primitive === 'nodoChiediFlussoRendicontazione')).slice(0, 20);
    const [reads2En, reads2It] = describeReadsSaid(reads2);
    t.check({ id: 'no-reread', held: !again.length, message: [`round 2: ${reads2En}`, `giro 2: ${reads2It}`], entries: evidence2 });
    const unknown = reads2.filter((r) => r.op === 'download' && r.flowId === UNKNOWN_FLOW);
    const codes = unknown.map((u) => u.faultCode).join(', ');
    if (!unknown.length) t.notExercised('unknown-flow', ['the EC did not ask for the unknown flow named in the trigger', 'l’EC non ha chiesto il flusso sconosciuto indicato nel trigger']);
    else t.check({ id: 'unknown-flow', held: unknown.length <= 1, message: [`asked for ${UNKNOWN_FLOW} ${unknown.length} time(s) in one round (${codes})`, `chiesto ${UNKNOWN_FLOW} ${unknown.length} ${unknown.length === 1 ? 'volta' : 'volte'} in un giro (${codes})`], entries: evidence2.filter((e) => e.raw?.includes(UNKNOWN_FLOW)) });

    // the Nodo cannot answer the next list (HTTP 500): the EC cannot reconcile in that round (L3157), and recovers in the next
    const n9b = await t.ownNotice('payable', 2);
    const later = harnessFlow(t, t.station.idDominio, [collectedLine(t, iuvOf(n9b), n9b.amountCents ?? 1000, '9')]);
    publishSoap(fdr, later, 'old');
    t.faults.add({ side: 'inbound', primitive: 'nodoChiediElencoFlussiRendicontazione', match: { idDominio: t.station.idDominio }, fault: { kind: 'http500', soapFault: true }, times: 1 });
    const mark3 = soapMark(t.nodo.fdr, t.station.idStazione);
    // round 3 reads nothing (its list refused), round 4 the flow published meanwhile
    await ask(t, []);
    await ask(t, [later]);
    const reads3 = soapReads(t.nodo.fdr, t.station.idStazione, mark3);
    const got = reads3.some((r) => r.op === 'download' && r.flowId === later.flowId);
    const refused = t.journal.entries.filter((e) => e.direction === 'response' && e.primitive === 'nodoChiediElencoFlussiRendicontazione' && e.httpStatus === 500);
    const [reads3En, reads3It] = describeReadsSaid(reads3);
    if (!refused.length) t.notExercised('list-refused', ['the EC did not list in round 3 (no list was answered HTTP 500)', 'l’EC non ha chiesto l’elenco nel giro 3 (nessun elenco ha avuto risposta HTTP 500)']);
    else
      t.check({
        id: 'list-refused',
        held: got,
        message: [`rounds 3 (list answered HTTP 500) and 4: ${reads3En}${got ? '' : `; ${later.flowId} never downloaded`}`, `giri 3 (elenco con risposta HTTP 500) e 4: ${reads3It}${got ? '' : `; ${later.flowId} mai scaricato`}`],
        entries: refused.slice(0, 2),
      });
  },
};

export const fdrScenarios: Def[] = [reconciliation];

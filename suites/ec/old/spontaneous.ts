// Spontaneous payment at the PSP through an Ente Erogatore (OLD-PSP-PAY-05, L1848-1871, L409-417,
// features spontaneous): the harness's PSP reads the Nodo's Catalogo dei Servizi
// (nodoChiediCatalogoServizi), asks a notice for the candidate's declared service
// (nodoChiediNumeroAvviso), the Nodo asks the candidate (paaChiediNumeroAvviso), and the notice it
// answers is paid as modello 3 (nodoAttivaRPT, the EC's RPT, the RT). The primitives are WSDL-only
// and the seed names none (A-27, L1871): the Ente Erogatore is read as the EC offering the service,
// and, no PAA_* code being named for the primitive, a refusal is judged against the general table
// (data of no service it offers: PAA_SEMANTICA, or PAA_SINTASSI_XSD for a candidate that checks the
// data against a schema first).
import { spec, type ScenarioDef } from '../../../src/core/scenario.js';
import { formatAmount } from '../../../domain/common.js';
import type { OldEcContext } from '../../../seats/ec-old.js';
import { fillUnique } from '../spontaneous.js';
import { type Answer, activateAtPsp, datiPagamentoPA, describe, esitoOf, noAnswer, payRt, said, stationExchanges, usable, verifyAtPsp } from './lib.js';
import { checkFaultId, checkKo, checkOk } from './judge.js';
import { judgeRpt, rptChecks } from './psp-payments.js';
import { type El, pathText } from '../../../src/wire/xml.js';

type Def = ScenarioDef<OldEcContext>;
const MODEL = { seat: 'ec' as const, model: 'old', feature: 'spontaneous' as const };
const REQ = 'OLD-PSP-PAY-05';
/** A document of no service: its root is in a namespace no catalogue publishes. */
const NO_SERVICE_XML = '<ns:servizioSconosciuto xmlns:ns="urn:collaudo:servizio-sconosciuto"><ns:dato>1</ns:dato></ns:servizioSconosciuto>';

type Service = NonNullable<NonNullable<OldEcContext['profile']['old']>['spontaneous']>['services'][number];

/** The declared service, found in the Nodo's catalogue (the harness's configuration: a miss is the harness's error). */
async function declaredService(t: OldEcContext): Promise<Service> {
  const svc = t.profile.old?.spontaneous?.services[0];
  if (!svc) return t.inconclusive(['the profile declares old.features.spontaneous but lists no old.spontaneous.services', 'il profilo dichiara old.features.spontaneous ma non elenca alcun old.spontaneous.services']);
  const cat = await t.psp.catalogoServizi(t.station.idDominio);
  if (!cat.services?.some((s) => s.idServizio === svc.idServizio && s.idDominioErogatoreServizio === t.station.idDominio)) {
    return t.harnessError(`the Nodo's Catalogo dei Servizi does not list service ${svc.idServizio} of ${t.station.idDominio} (${describe(cat)})`);
  }
  return svc;
}

/** nodoChiediNumeroAvviso for the service with `xml` as its data; the candidate's paaChiediNumeroAvviso answer from the journal. */
async function askNotice(t: OldEcContext, svc: Service, xml: string): Promise<{ ec: Answer; nodo: Answer; notice?: { fiscalCode: string; noticeNumber: string } }> {
  const mark = t.journal.entries.length;
  const nodo = await t.psp.chiediNumeroAvviso(svc.idServizio, t.station.idDominio, xml);
  const ec = stationExchanges(t, 'paaChiediNumeroAvviso', () => true, mark).at(-1) ?? noAnswer('none', `the Nodo never called paaChiediNumeroAvviso (it answered the PSP ${said(nodo)[0]})`, `il Nodo non ha mai chiamato paaChiediNumeroAvviso (al PSP ha risposto ${said(nodo)[1]})`);
  return { ec, nodo, notice: nodo.notice };
}

/** Fresh data of the declared service: each {{unique:N}} filled anew, so each request is a new debt. */
const freshData = (t: OldEcContext, svc: Service, k: number) => fillUnique(svc.datiSpecificiServizio, `${t.scenarioId}/${t.clock.now()}/${k}/${Math.random()}`);

/** The notice in an OK answer: IUV, and amount and account of datiPagamentoPA. */
function noticeOf(a: Answer): { iuv?: string; importo?: number; iban?: string } {
  const r = a.body as El | undefined;
  return { iuv: r ? pathText(r, 'paaChiediNumeroAvvisoRisposta', 'numeroAvviso', 'IUV') : undefined, ...pick(datiPagamentoPA(a)) };
}
const pick = (d: ReturnType<typeof datiPagamentoPA>) => ({ importo: d?.importo, iban: d?.iban });

const main: Def = {
  id: 'EC-OLD-SPONT-01',
  title: 'Spontaneous payment at the PSP: the EC answers a new notice for its service, then it is paid as modello 3',
  titleIt: "Pagamento spontaneo presso il PSP: l'EC risponde un nuovo avviso per il suo servizio, poi pagato come modello 3",
  ...MODEL,
  checks: [
    spec('numero-ok', ["paaChiediNumeroAvviso with the declared service's data is answered esito OK, valid against the schema, with numeroAvviso and datiPagamentoPA (an amount, ibanAccredito)", "paaChiediNumeroAvviso con i dati del servizio dichiarato riceve esito OK, valido rispetto all'XSD, con numeroAvviso e datiPagamentoPA (un importo, ibanAccredito)"], REQ),
    spec('new-iuv', ['a request for another debt of the same service gets another notice (a new IUV)', 'una richiesta per un altro debito dello stesso servizio ottiene un altro avviso (un nuovo IUV)'], REQ),
    spec('activated', ["the notice answered is activated: paaAttivaRPT for datiPagamentoPA's amount is answered esito OK", "l'avviso restituito viene attivato: paaAttivaRPT per l'importo di datiPagamentoPA riceve esito OK"], REQ),
    ...rptChecks(REQ),
    spec('rt-ok', ['paaInviaRT with the positive RT of the spontaneous payment is answered esito OK', 'paaInviaRT con la RT positiva del pagamento spontaneo riceve esito OK'], REQ),
    spec('closed', ['after the RT the spontaneous notice is paid: paaVerificaRPT answers PAA_PAGAMENTO_DUPLICATO', "dopo la RT l'avviso spontaneo risulta pagato: paaVerificaRPT risponde PAA_PAGAMENTO_DUPLICATO"], REQ),
  ],
  async run(t) {
    const svc = await declaredService(t);
    const first = await askNotice(t, svc, freshData(t, svc, 1));
    const n1 = noticeOf(first.ec);
    const whole = usable(first.ec) && esitoOf(first.ec) === 'OK' && !!n1.iuv && !!n1.importo && !!n1.iban;
    t.check({
      id: 'numero-ok',
      held: whole,
      message:
        esitoOf(first.ec) !== 'OK' || !usable(first.ec)
          ? said(first.ec)
          : whole
            ? [`notice IUV ${n1.iuv}, importoSingoloVersamento ${formatAmount(n1.importo!)}, ibanAccredito ${n1.iban}`, `avviso IUV ${n1.iuv}, importoSingoloVersamento ${formatAmount(n1.importo!)}, ibanAccredito ${n1.iban}`]
            : [
                `esito OK but IUV ${n1.iuv ?? '(none)'}, amount ${n1.importo ?? '(none)'}, ibanAccredito ${n1.iban ?? '(none)'}`,
                `esito OK ma IUV ${n1.iuv ?? '(nessuno)'}, importo ${n1.importo ?? '(nessuno)'}, ibanAccredito ${n1.iban ?? '(nessuno)'}`,
              ],
      entries: [first.ec.request, first.ec.response],
    });
    if (!whole) return;
    const second = await askNotice(t, svc, freshData(t, svc, 2));
    const n2 = noticeOf(second.ec);
    if (esitoOf(second.ec) !== 'OK' || !n2.iuv) {
      t.check({ id: 'new-iuv', held: false, message: [`the second request (another debt) was answered ${said(second.ec)[0]}`, `la seconda richiesta (un altro debito) ha ricevuto ${said(second.ec)[1]}`], entries: [second.ec.request, second.ec.response] });
    } else {
      t.check({
        id: 'new-iuv',
        held: n2.iuv !== n1.iuv,
        message: n2.iuv !== n1.iuv ? [`two debts, two notices: IUV ${n1.iuv} and ${n2.iuv}`, `due debiti, due avvisi: IUV ${n1.iuv} e ${n2.iuv}`] : [`two different debts were given the same IUV ${n1.iuv}`, `a due debiti diversi è stato dato lo stesso IUV ${n1.iuv}`],
        entries: [first.ec.response, second.ec.request, second.ec.response],
      });
    }
    // the notice as the Nodo gave it to the PSP (aux digit, application code, IUV)
    const notice = first.notice && { ...first.notice, amountCents: n1.importo, state: 'payable' as const };
    // the Nodo refuses to pass on a notice it could not let be paid (an account not registered, an IUV of another form)
    if (!notice) return void t.check({ id: 'activated', held: false, message: [`the notice could not reach the PSP: the Nodo answered ${said(first.nodo)[0]}`, `l'avviso non è potuto arrivare al PSP: il Nodo ha risposto ${said(first.nodo)[1]}`], entries: [first.ec.response] });
    const act = await activateAtPsp(t, notice, n1.importo!);
    checkOk(t, 'activated', act.ec, [`paaAttivaRPT of the spontaneous notice ${notice.noticeNumber}`, `paaAttivaRPT dell'avviso spontaneo ${notice.noticeNumber}`]);
    if (esitoOf(act.ec) !== 'OK') return;
    const kept = await judgeRpt(t, notice, act.ccp, n1.importo!, REQ);
    if (!kept) return;
    checkOk(t, 'rt-ok', (await payRt(t, kept, 'OK')).ec, ['paaInviaRT (positive RT of the spontaneous payment)', 'paaInviaRT (RT positiva del pagamento spontaneo)']);
    checkKo(t, 'closed', (await verifyAtPsp(t, notice)).ec, ['PAA_PAGAMENTO_DUPLICATO'], ['paaVerificaRPT after the RT', 'paaVerificaRPT dopo la RT']);
  },
};

const refused: Def = {
  id: 'EC-OLD-SPONT-02',
  title: 'Spontaneous payment: data of no service the EC offers, or unreadable data, are refused',
  titleIt: "Pagamento spontaneo: dati di un servizio che l'EC non offre, o dati illeggibili, sono rifiutati",
  ...MODEL,
  checks: [
    spec('unknown-service', ["paaChiediNumeroAvviso with the data of a service the EC does not offer is refused (PAA_SEMANTICA naming it; PAA_SINTASSI_XSD accepted), no notice", "paaChiediNumeroAvviso con i dati di un servizio che l'EC non offre è rifiutata (PAA_SEMANTICA che lo indica; PAA_SINTASSI_XSD accettato), nessun avviso"], REQ),
    spec('unknown-fault-id', ["the refusal's faultBean.id is the EC's identificativoDominio (§1.5)", "il faultBean.id del rifiuto è l'identificativoDominio dell'EC (§1.5)"], REQ),
    spec('bad-data', ["paaChiediNumeroAvviso with the service's document emptied of its content is refused (PAA_SINTASSI_XSD or PAA_SEMANTICA)", 'paaChiediNumeroAvviso con il documento del servizio svuotato del suo contenuto è rifiutata (PAA_SINTASSI_XSD o PAA_SEMANTICA)'], REQ),
  ],
  async run(t) {
    const svc = await declaredService(t);
    const unknown = await askNotice(t, svc, NO_SERVICE_XML);
    checkKo(t, 'unknown-service', unknown.ec, ['PAA_SEMANTICA', 'PAA_SINTASSI_XSD'], ['paaChiediNumeroAvviso with the data of no service', 'paaChiediNumeroAvviso con i dati di nessun servizio']);
    checkFaultId(t, 'unknown-fault-id', unknown.ec);
    // the service's own root element with nothing in it: no service's data can identify a debt so
    const root = /^\s*(?:<\?xml[^>]*\?>\s*)?<([\w.-]+(?::[\w.-]+)?)([^>]*?)\/?>/.exec(svc.datiSpecificiServizio);
    if (!root) {
      const head = svc.datiSpecificiServizio.slice(0, 60);
      return t.notExercised('bad-data', [`the declared datiSpecificiServizio does not start with an element: ${head}`, `il datiSpecificiServizio dichiarato non inizia con un elemento: "${head}"`]);
    }
    const bad = await askNotice(t, svc, `<${root[1]}${root[2]}/>`);
    checkKo(t, 'bad-data', bad.ec, ['PAA_SINTASSI_XSD', 'PAA_SEMANTICA'], ["paaChiediNumeroAvviso with the service's document emptied", 'paaChiediNumeroAvviso con il documento del servizio svuotato']);
  },
};

export const spontaneousScenarios: Def[] = [main, refused];

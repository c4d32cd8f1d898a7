// Spontaneous payment at the PSP through an Ente Erogatore (OLD-PSP-PAY-05, L1848-1871, L409-417; the
// Catalogo dei Servizi OLD-REC-PSP-01, L2234-2250; features spontaneous): the candidate is asked
// (old-psp-spontaneous) to pay a service of the emulated EC with the payer's data; the harness judges
// its nodoChiediCatalogoServizi (a valid request, the service it then uses listed in the answer), its
// nodoChiediNumeroAvviso (the service asked, the data given), the activation of the notice it got with
// datiPagamentoPA's amount, its answer to the EC's RPT, the RT and its report. The primitives are
// WSDL-only and the seed names none (A-27, L1871): the Ente Erogatore is read as the EC offering the
// service, and a notice the EC refuses (relayed PPT_ERRORE_EMESSO_DA_PAA) leaves nothing to pay: the
// PSP stops, as after a refused activation (L1928).
import { type ScenarioDef, spec } from '../../../src/core/scenario.js';
import type { JournalEntry } from '../../../src/core/journal.js';
import { type Cents, formatAmount, parseAmount } from '../../../domain/common.js';
import { tassaAutoData } from '../../../domain/services.js';
import { nodoPerPsp, nodoPerPspRichiestaAvvisi } from '../../../interfaces/index.js';
import { answerOfExchange, answerSaid } from '../../../src/wire/answer.js';
import { type Bi, joinSaid } from '../../../src/core/text.js';
import { decodeEnvelope, resultOf } from '../../../src/wire/soap.js';
import { type El, child, childrenNamed, parseDocument, pathText, textOf, toEl } from '../../../src/wire/xml.js';
import { EMULATED_EC_SERVICES, type OldNotice, type OldPspAsk, type OldPspContext } from '../../../seats/psp-old.js';
import { type Exchange, aboutIuv, ccpOf, checkExchangeOk, nodoToPsp, pspCalls, usable } from './lib.js';
import { judgeReport, judgeRt } from './judge.js';
import { drainQueue, rtsGiven } from './rt-path.js';

type Def = ScenarioDef<OldPspContext>;
const MODEL = { seat: 'psp' as const, model: 'old', feature: 'spontaneous' as const };
const REQ = 'OLD-PSP-PAY-05';
const CATALOGUE = 'OLD-REC-PSP-01';
const AVVISI_OPS = nodoPerPspRichiestaAvvisi.operations;
const opOf = (name: string) => AVVISI_OPS.find((o) => o.name === name)!;
/** A document of no service: its root is in a namespace no catalogue publishes. */
const NO_SERVICE_XML = '<ns:servizioSconosciuto xmlns:ns="urn:collaudo:servizio-sconosciuto"><ns:dato>1</ns:dato></ns:servizioSconosciuto>';

/** The candidate's NodoPerPspRichiestaAvvisi calls for `primitive` after `since`, with the Nodo's answer read with validation. */
function avvisiCalls(t: OldPspContext, primitive: string, since: number): Exchange[] {
  return t.journal
    .filter((e) => e.seq > since && e.direction === 'request' && e.from === 'psp' && e.to === 'nodo' && e.primitive === primitive)
    .map((request) => {
      const response = t.journal.filter((e) => e.direction === 'response' && e.exchange === request.exchange)[0];
      return { request, response, answer: answerOfExchange(request, response, { ops: AVVISI_OPS, validate: true }) };
    });
}

/** The body of a request the candidate sent, decoded against our schema: its content, or the schema's first errors. */
function requestOf(e: JournalEntry): { body?: El; errors: string[] } {
  const d = decodeEnvelope(e.raw, { ops: AVVISI_OPS, validate: true });
  if (!d.ok) return { errors: [d.message] };
  return { body: d.msg.body, errors: d.msg.xsd.valid ? [] : d.msg.xsd.errors.slice(0, 3) };
}

/** The services (idServizio|idDominioErogatoreServizio) of the catalogue a nodoChiediCatalogoServizi answer carried. */
function servicesIn(x: Exchange): Set<string> {
  const b64 = x.answer.body ? textOf(resultOf(x.answer.body, opOf('nodoChiediCatalogoServizi')), 'xmlCatalogoServizi') : undefined;
  if (!b64) return new Set();
  const doc = parseDocument(Buffer.from(b64, 'base64'));
  try {
    return new Set(childrenNamed(toEl(doc.root), 'servizio').map((s) => `${textOf(s, 'idServizio')}|${textOf(s, 'idDominioErogatoreServizio')}`));
  } finally {
    doc.dispose();
  }
}

/** A car-tax plate no earlier run has paid (the EC keys a spontaneous debt on it). */
function freshPlate(): string {
  const L = 'ABCDEFGHJKLMNPRSTVWXYZ';
  const r = (n: number) => Math.floor(Math.random() * n);
  return `S${L[r(L.length)]}${String(r(1000)).padStart(3, '0')}${L[r(L.length)]}${L[r(L.length)]}`;
}

/** Asks the candidate for a spontaneous payment of service `idServizio` of the emulated EC with `xml` as its data. */
function askSpontaneous(t: OldPspContext, idServizio: string, xml: string): Promise<OldPspAsk> {
  const ec = t.profile.ec.idPA;
  return t.ask('old-psp-spontaneous', { fiscalCode: ec }, { params: { idServizio, idDominioErogatoreServizio: ec, datiSpecificiServizio: xml } });
}

/** The catalogue check: a valid nodoChiediCatalogoServizi answered by the Nodo, before the notice, listing the service then asked. */
function judgeCatalogue(t: OldPspContext, since: number, numero: Exchange | undefined, idServizio: string): void {
  const cats = avvisiCalls(t, 'nodoChiediCatalogoServizi', since).filter((c) => !numero || c.request.seq < numero.request.seq);
  const cat = cats.at(-1);
  if (!cat) {
    return void t.check({
      id: 'catalogue',
      held: false,
      message: [
        'no nodoChiediCatalogoServizi before nodoChiediNumeroAvviso: the candidate asked a notice for a service without reading the Catalogo dei Servizi',
        'nessuna nodoChiediCatalogoServizi prima di nodoChiediNumeroAvviso: il candidato ha chiesto un avviso per un servizio senza leggere il Catalogo dei Servizi',
      ],
    });
  }
  const req = requestOf(cat.request);
  const listed = servicesIn(cat);
  const ec = t.profile.ec.idPA;
  const [got, gotIt] = answerSaid(cat.answer, 'esito');
  const services = [...listed].join(', ');
  const problems: Bi[] = [
    ...req.errors.map((e): Bi => [`request: ${e}`, `richiesta: "${e}"`]),
    ...(usable(cat.answer) ? [] : [[`the Nodo's answer: ${got}`, `la risposta del Nodo: ${gotIt}`] as Bi]),
    ...(listed.has(`${idServizio}|${ec}`) ? [] : [[`service ${idServizio} of ${ec} is not in the catalogue it got (${services || 'no service'})`, `il servizio ${idServizio} di ${ec} non è nel catalogo ricevuto (${services || 'nessun servizio'})`] as Bi]),
  ];
  const d = textOf(req.body, 'identificativoDominio');
  t.check({
    id: 'catalogue',
    held: !problems.length,
    message: problems.length
      ? joinSaid(problems)
      : [`nodoChiediCatalogoServizi (${d ? `EC ${d}` : 'every EC'}): ${listed.size} services, ${idServizio} of ${ec} among them`, `nodoChiediCatalogoServizi (${d ? `EC ${d}` : 'ogni EC'}): ${listed.size} servizi, tra cui ${idServizio} di ${ec}`],
    entries: [cat.request, cat.response],
  });
}

/** The same document up to its XML declaration and the whitespace between tags (a PSP may re-serialise the payer's data). */
const sameXml = (a: string, b: string) => {
  const norm = (x: string) => x.replace(/^\uFEFF?\s*<\?xml[^>]*\?>/, '').replace(/>\s+</g, '><').trim();
  return norm(a) === norm(b);
};

/** nodoChiediNumeroAvviso names the service and EC asked and carries the payer's data (base64 of the XML given). */
function judgeNumero(t: OldPspContext, x: Exchange | undefined, idServizio: string, xml: string): void {
  if (!x) return void t.check({ id: 'numero', held: false, message: ['nodoChiediNumeroAvviso: it never happened', 'nodoChiediNumeroAvviso: non è mai avvenuta'] });
  const req = requestOf(x.request);
  const sent = textOf(req.body, 'datiSpecificiServizio');
  const data = sent === undefined ? undefined : Buffer.from(sent, 'base64').toString('utf8');
  const ec = t.profile.ec.idPA;
  const sid = textOf(req.body, 'idServizio');
  const erog = textOf(req.body, 'idDominioErogatoreServizio');
  const problems: Bi[] = [
    ...req.errors.map((e): Bi => [`request: ${e}`, `richiesta: "${e}"`]),
    ...(sid === idServizio ? [] : [[`idServizio ${sid ?? '(none)'}, the payer chose ${idServizio}`, `idServizio ${sid ?? '(assente)'}, il pagatore ha scelto ${idServizio}`] as Bi]),
    ...(erog === ec ? [] : [[`idDominioErogatoreServizio ${erog ?? '(none)'}, expected ${ec}`, `idDominioErogatoreServizio ${erog ?? '(assente)'}, atteso ${ec}`] as Bi]),
    ...(data !== undefined && sameXml(data, xml)
      ? []
      : [[`datiSpecificiServizio is not the data given (${data === undefined ? 'none' : `${data.slice(0, 60)}…`})`, `datiSpecificiServizio non sono i dati forniti (${data === undefined ? 'assenti' : `"${data.slice(0, 60)}…"`})`] as Bi]),
  ];
  const [got, gotIt] = answerSaid(x.answer, 'esito');
  t.check({
    id: 'numero',
    held: !problems.length,
    message: problems.length ? joinSaid(problems) : [`nodoChiediNumeroAvviso for service ${idServizio} of ${ec} with the payer's data: ${got}`, `nodoChiediNumeroAvviso per il servizio ${idServizio} di ${ec} con i dati del pagatore: ${gotIt}`],
    entries: [x.request, x.response],
  });
}

/** The notice and datiPagamentoPA's amount the Nodo gave the candidate (undefined: no notice). */
function noticeIn(x: Exchange | undefined): (OldNotice & { amountCents: Cents }) | undefined {
  const r = x?.answer.body && x.answer.outcome === 'OK' ? resultOf(x.answer.body, opOf('nodoChiediNumeroAvviso')) : undefined;
  const n = child(r, 'numeroAvviso');
  const iuv = textOf(n, 'IUV');
  const importo = pathText(r, 'datiPagamentoPA', 'importoSingoloVersamento');
  const fiscalCode = textOf(r, 'identificativoDominio');
  const cents = importo === undefined ? undefined : parseAmount(importo);
  if (!n || !iuv || cents === undefined || !fiscalCode) return undefined;
  return { fiscalCode, iuv, noticeNumber: `${textOf(n, 'auxDigit') ?? ''}${textOf(n, 'applicationCode') ?? ''}${iuv}`, amountCents: cents };
}

/** The amount an activation asks (datiPagamentoPSP.importoSingoloVersamento), in cents. */
function activatedAmount(e: JournalEntry): Cents | undefined {
  const d = decodeEnvelope(e.raw, { ops: nodoPerPsp.operations, validate: false });
  const a = d.ok ? pathText(d.msg.body, 'datiPagamentoPSP', 'importoSingoloVersamento') : undefined;
  return a === undefined ? undefined : parseAmount(a);
}

const main: Def = {
  id: 'PSP-OLD-SPONT-01',
  title: 'Spontaneous payment at the PSP: Catalogo dei Servizi, a notice for the service, paid as modello 3',
  titleIt: 'Pagamento spontaneo presso il PSP: Catalogo dei Servizi, avviso per il servizio, pagato come modello 3',
  ...MODEL,
  checks: [
    spec(
      'catalogue',
      [
        'before asking a notice the candidate reads the Catalogo dei Servizi: nodoChiediCatalogoServizi valid against the schema, answered by the Nodo, listing the service it then uses',
        'prima di chiedere un avviso il candidato legge il Catalogo dei Servizi: nodoChiediCatalogoServizi valida rispetto allo schema, con risposta del Nodo, che elenca il servizio poi usato',
      ],
      [CATALOGUE, REQ],
    ),
    spec(
      'numero',
      [
        "nodoChiediNumeroAvviso, valid, names the service and the EC the payer chose and carries the payer's data (datiSpecificiServizio, base64)",
        "nodoChiediNumeroAvviso, valida, indica il servizio e l'EC scelti dal pagatore e porta i dati del pagatore (datiSpecificiServizio, base64)",
      ],
      REQ,
    ),
    spec('attiva', ["nodoAttivaRPT for the notice the Nodo gave, with datiPagamentoPA's amount, answered esito OK", "nodoAttivaRPT per l'avviso fornito dal Nodo, con l'importo di datiPagamentoPA, con risposta esito OK"], REQ),
    spec('rpt-accepted', ['the RPT the EC sends after the activation (pspInviaRPT, modello 4) is accepted: esito OK', "la RPT che l'EC invia dopo l'attivazione (pspInviaRPT, modello 4) è accettata: esito OK"], REQ),
    spec(
      'rt',
      [
        "the RT for the RPT reaches the Nodo (nodoInviaRT OK, or the PULL queue) with the RPT's keys, a positive outcome and datiPagamentoPA's amount, attested by the candidate",
        "la RT per la RPT giunge al Nodo (nodoInviaRT OK, o la coda PULL) con le chiavi della RPT, esito positivo e l'importo di datiPagamentoPA, attestata dal candidato",
      ],
      REQ,
    ),
    spec('report', ['the candidate reports the payment it made (paid, the amount of the notice)', "il candidato riporta il pagamento eseguito (pagato, l'importo dell'avviso)"], REQ),
  ],
  async run(t) {
    const svc = EMULATED_EC_SERVICES[0]!;
    const xml = Buffer.from(tassaAutoData(freshPlate()), 'base64').toString('utf8');
    const ask = await askSpontaneous(t, svc.idServizio, xml);
    await t.waitEntry((e) => e.direction === 'response' && e.to === 'psp' && e.primitive === 'nodoChiediNumeroAvviso', ask.mark, 'nodoChiediNumeroAvviso');
    const numero = avvisiCalls(t, 'nodoChiediNumeroAvviso', ask.mark).at(0);
    if (!numero && !avvisiCalls(t, 'nodoChiediCatalogoServizi', ask.mark).length) return t.inconclusive([
        `the candidate never acted: no nodoChiediCatalogoServizi nor nodoChiediNumeroAvviso at the harness's Nodo within ${t.deadlineMs} ms of the trigger`,
        `il candidato non ha mai agito: né nodoChiediCatalogoServizi né nodoChiediNumeroAvviso al Nodo del collaudo entro ${t.deadlineMs} ms dal trigger`,
      ]);
    judgeCatalogue(t, ask.mark, numero, svc.idServizio);
    judgeNumero(t, numero, svc.idServizio, xml);
    const notice = noticeIn(numero);
    if (!notice) {
      const why: Bi = numero ? answerSaid(numero.answer, 'esito') : ['never sent', 'mai inviata'];
      return void t.check({ id: 'attiva', held: false, message: [`no notice to activate: nodoChiediNumeroAvviso ${why[0]}`, `nessun avviso da attivare: nodoChiediNumeroAvviso ${why[1]}`], entries: [numero?.request, numero?.response] });
    }
    await t.waitEntry((e) => e.direction === 'response' && e.to === 'psp' && e.primitive === 'nodoAttivaRPT' && aboutIuv(notice.iuv)(e), ask.mark, 'nodoAttivaRPT');
    const attive = pspCalls(t, 'nodoAttivaRPT', ask.mark, aboutIuv(notice.iuv));
    const first = attive[0];
    const asked = first && activatedAmount(first.request);
    if (first && asked !== notice.amountCents) {
      t.check({
        id: 'attiva',
        held: false,
        message: [
          `nodoAttivaRPT for ${notice.noticeNumber} with importoSingoloVersamento ${asked === undefined ? '(none)' : formatAmount(asked)}, datiPagamentoPA gave ${formatAmount(notice.amountCents)}`,
          `nodoAttivaRPT per ${notice.noticeNumber} con importoSingoloVersamento ${asked === undefined ? '(assente)' : formatAmount(asked)}, datiPagamentoPA indicava ${formatAmount(notice.amountCents)}`,
        ],
        entries: [numero?.response, first.request, first.response],
      });
      return;
    }
    const attiva = checkExchangeOk(t, 'attiva', attive, [`nodoAttivaRPT for ${notice.noticeNumber} (${formatAmount(notice.amountCents)})`, `nodoAttivaRPT per ${notice.noticeNumber} (${formatAmount(notice.amountCents)})`]);
    if (!attiva || attiva.answer.outcome !== 'OK') return;
    const ccp = ccpOf(attiva.request);
    await t.waitEntry((e) => e.direction === 'response' && e.to === 'nodo' && e.primitive === 'pspInviaRPT' && aboutIuv(notice.iuv)(e), ask.mark, 'pspInviaRPT');
    checkExchangeOk(t, 'rpt-accepted', nodoToPsp(t, 'pspInviaRPT', ask.mark, aboutIuv(notice.iuv)), ["the candidate's answer to pspInviaRPT (the EC's RPT after the activation)", "la risposta del candidato a pspInviaRPT (la RPT dell'EC dopo l'attivazione)"]);
    await judgeRt(t, 'rt', notice, ccp, ask.mark, 'positive', notice.amountCents);
    const rts = rtsGiven(t, notice.iuv, ask.mark);
    await judgeReport(t, 'report', ask, 'paid', notice.amountCents, [attiva.request, attiva.response, ...rts.flatMap((r) => [r.request, r.response])]);
  },
};

const refused: Def = {
  id: 'PSP-OLD-SPONT-02',
  title: 'Spontaneous payment: the EC refuses the notice (data of no service it offers), the PSP stops',
  titleIt: "Pagamento spontaneo: l'EC rifiuta l'avviso (dati di un servizio che non offre), il PSP si ferma",
  ...MODEL,
  checks: [
    spec(
      'stops',
      [
        'after nodoChiediNumeroAvviso is refused (PPT_ERRORE_EMESSO_DA_PAA relayed from the EC) the candidate activates nothing and sends no RT',
        "dopo il rifiuto di nodoChiediNumeroAvviso (PPT_ERRORE_EMESSO_DA_PAA inoltrato dall'EC) il candidato non attiva nulla e non invia alcuna RT",
      ],
      REQ,
    ),
    spec('report', ['the candidate reports no payment', 'il candidato non riporta alcun pagamento'], REQ),
  ],
  async run(t) {
    const svc = EMULATED_EC_SERVICES[0]!;
    const ask = await askSpontaneous(t, svc.idServizio, NO_SERVICE_XML);
    await t.waitEntry((e) => e.direction === 'response' && e.to === 'psp' && e.primitive === 'nodoChiediNumeroAvviso', ask.mark, 'nodoChiediNumeroAvviso');
    const numero = avvisiCalls(t, 'nodoChiediNumeroAvviso', ask.mark).at(-1);
    if (!numero) {
      // stopping at the catalogue is stopping too, but the refusal this scenario is about never came
      const cat = avvisiCalls(t, 'nodoChiediCatalogoServizi', ask.mark).length;
      return t.inconclusive([
        `the candidate never sent nodoChiediNumeroAvviso within ${t.deadlineMs} ms of the trigger (${cat ? 'it read the catalogue only' : 'no call at all'})`,
        `il candidato non ha mai inviato nodoChiediNumeroAvviso entro ${t.deadlineMs} ms dal trigger (${cat ? 'ha solo letto il catalogo' : 'nessuna chiamata'})`,
      ]);
    }
    const [got, gotIt] = answerSaid(numero.answer, 'esito');
    if (numero.answer.outcome !== 'KO') return t.harnessError(`the emulated EC did not refuse data of no service: nodoChiediNumeroAvviso ${got}`);
    await t.done(ask);
    await drainQueue(t);
    // what followed the refusal: an activation, an RT pushed, or an RT in the PULL queue (the Nodo's pspChiediRT answered with one)
    const after = t.journal.filter((e) => e.seq > numero.request.seq && ((e.direction === 'request' && e.from === 'psp' && (e.primitive === 'nodoAttivaRPT' || e.primitive === 'nodoInviaRT')) || (e.direction === 'response' && e.primitive === 'pspChiediRT' && /<(?:[\w-]+:)?rt>/.test(e.raw))));
    const sent = after.map((e) => e.primitive).join(', ');
    t.check({
      id: 'stops',
      held: !after.length,
      message: after.length
        ? [`after the refusal (${got}) the candidate sent ${sent}`, `dopo il rifiuto (${gotIt}) il candidato ha inviato ${sent}`]
        : [`refused with ${got}: no activation, no RT`, `rifiutata con ${gotIt}: nessuna attivazione, nessuna RT`],
      entries: [numero.request, numero.response, ...after],
    });
    await judgeReport(t, 'report', ask, 'not-paid', undefined, [numero.request, numero.response]);
  },
};

export const spontaneousScenarios: Def[] = [main, refused];

// Every message the reference Nodo (old model) emits — its answers on NodoPerPa / NodoPerPsp, its
// calls to the EC (PaPerNodo, PaPerNodoPagamentoPsp) and to the PSP (PspPerNodo), and the RTs it
// writes itself — validated against the OFFICIAL pagoPA schemas as an independent cross-check of our
// own (which every test already applies). The flows: a cart through WISP paid and one cancelled, a
// PSP-started payment, the queries, revoca and storno, and KOs of each shape. Skipped, with the
// reason printed, when the pagopa/pagopa-api snapshot is absent.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { XmlElement } from 'libxml2-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OFFICIAL_API_DIR, officialMissing } from '../src/core/paths.js';
import { SOAPENV_NS } from '../src/wire/soap.js';
import { parseDocument } from '../src/wire/xml.js';
import { validateElement } from '../src/wire/xsd.js';
import { erFor, erXml, rptXml, rrFor, rrXml, toBase64 } from '../domain/old/index.js';
import { OPERATIONS } from '../interfaces/index.js';
import { hasOfficialWsdl, readOfficialWsdl } from './support/official-old.js';
import { BROKER, EC, PASSWORD, PSP, STATION, type World, cart, invioRt, keys, ok, paIds, rpt, rtOf, world } from './support/old-nodo.js';

const IFACES = ['NodoPerPa', 'NodoPerPsp', 'PaPerNodo', 'PaPerNodoPagamentoPsp', 'PspPerNodo'];
const DOCS: Record<string, string> = { RPT: 'gad/xsd/PagInf_RPT_RT_6_2_0.xsd', RT: 'gad/xsd/PagInf_RPT_RT_6_2_0.xsd', RR: 'general/RR_ER_1_0_0.xsd', ER: 'general/RR_ER_1_0_0.xsd' };
const available = IFACES.every(hasOfficialWsdl) && Object.values(DOCS).every((f) => existsSync(path.join(OFFICIAL_API_DIR, f)));
if (!available) console.warn(officialMissing('the cross-check of the old-model Nodo’s messages against the official schemas'));

/** Header and body elements of an envelope against the official WSDL's embedded schemas. */
function envelopeErrors(raw: string, schemas: Map<string, string>): string[] {
  const doc = parseDocument(raw);
  try {
    const errors: string[] = [];
    for (let part = doc.root.firstChild; part; part = part.next) {
      if (!(part instanceof XmlElement) || part.namespaceUri !== SOAPENV_NS) continue;
      for (let e = part.firstChild; e; e = e.next) {
        if (!(e instanceof XmlElement)) continue;
        const schema = schemas.get(e.namespaceUri);
        if (!schema) errors.push(`no official schema for {${e.namespaceUri}}${e.name}`);
        else errors.push(...validateElement(e, schema).errors.map((x) => `${e.name}: ${x}`));
      }
    }
    return errors;
  } finally {
    doc.dispose();
  }
}

function documentErrors(raw: string, name: string): string[] {
  const doc = parseDocument(raw);
  try {
    return validateElement(doc.root, path.join(OFFICIAL_API_DIR, DOCS[name]!)).errors;
  } finally {
    doc.dispose();
  }
}

let w: World;
beforeAll(async () => {
  w = await world();
});
afterAll(() => w.close());

/** The flows whose messages are checked. */
async function traffic(): Promise<void> {
  const choose = (idSession: string, azione: string) => fetch(`${w.nodo.urls.base}/wisp/scelta`, { method: 'POST', body: new URLSearchParams({ idSession, azione, psp: 'CLLDITMM001|99999000001_01' }), redirect: 'manual' });
  const sessionOf = (a: Awaited<ReturnType<World['pa']>>) => new URL(a.result.children.find((x) => x.name === 'url')!.text).searchParams.get('idSession')!;
  // a cart paid, its RT delivered; revoca and storno on it
  const k = keys();
  const r = rpt(k);
  const c = cart(`O${k.iuv}`, [r]);
  const a = await w.pa('nodoInviaCarrelloRPT', c.content, c.header);
  w.psp.script.pspInviaCarrelloRPT = () => ok('pspInviaCarrelloRPT', { identificativoCarrello: 'P1', parametriPagamentoImmediato: 'identificativoCarrello=P1' });
  await choose(sessionOf(a), 'paga');
  const rt = rtOf(r, 'positive', w.clock.now());
  await w.pspCall('nodoInviaRT', invioRt(rt));
  await w.pspCall('nodoInviaRT', invioRt(rt)); // PPT_RT_DUPLICATA
  const q = { ...paIds(), identificativoDominio: EC, identificativoUnivocoVersamento: k.iuv, codiceContestoPagamento: k.ccp };
  await w.pa('nodoChiediStatoRPT', q);
  await w.pa('nodoChiediCopiaRT', q);
  await w.pa('nodoChiediStatoRPT', { ...q, codiceContestoPagamento: 'nessuno' }); // KO with esito/stato
  await w.pa('nodoChiediListaPendentiRPT', { ...paIds(), dimensioneLista: 10 });
  await w.pa('nodoChiediInformativaPSP', { ...paIds() });
  await w.pa('nodoPAChiediInformativaPA', { ...paIds(), identificativoDominio: EC });
  const pspIds = { identificativoPSP: PSP.idPSP, identificativoIntermediarioPSP: PSP.idBrokerPSP, identificativoCanale: PSP.idChannel, password: PSP.password };
  const rr = rrFor(rt, { now: w.clock.now(), tipoRevoca: '2' });
  await w.pspCall('nodoInviaRichiestaRevoca', { ...pspIds, identificativoDominio: EC, identificativoUnivocoVersamento: k.iuv, codiceContestoPagamento: k.ccp, rr: toBase64(rrXml(rr)) });
  await w.pa('nodoInviaRispostaRevoca', { ...q, er: toBase64(erXml(erFor(rr, { now: w.clock.now(), outcome: 'refused' }))) });
  const srr = rrFor(rt, { now: w.clock.now() });
  await w.pa('nodoInviaRichiestaStorno', { ...q, rr: toBase64(rrXml(srr)) });
  await w.pspCall('nodoInviaEsitoStorno', { ...pspIds, identificativoDominio: EC, identificativoUnivocoVersamento: k.iuv, codiceContestoPagamento: k.ccp, er: toBase64(erXml(erFor(srr, { now: w.clock.now(), outcome: 'accepted' }))) });
  // a cart cancelled: the Nodo's negative RT; a cart with per-RPT errors
  const k2 = keys();
  const c2 = cart(`O${k2.iuv}`, [rpt(k2)]);
  await choose(sessionOf(await w.pa('nodoInviaCarrelloRPT', c2.content, c2.header)), 'annulla');
  await w.nodo.waitDelivery(EC, k2.iuv, k2.ccp);
  const bad = cart(`O${keys().iuv}`, [rpt(keys(), (x) => (x.datiVersamento.importoTotaleDaVersare += 1))]);
  await w.pa('nodoInviaCarrelloRPT', bad.content, bad.header);
  // a PSP-started payment: verifica, attiva (OK and a relayed KO), the RPT forwarded with pspInviaRPT
  const k3 = keys();
  const datiPA = { importoSingoloVersamento: '150.50', ibanAccredito: 'IT61X0306909606100000012345', causaleVersamento: 'Tassa' };
  w.ec.script.paaVerificaRPT = () => ok('paaVerificaRPT', { datiPagamentoPA: datiPA });
  w.ec.script.paaAttivaRPT = () => ok('paaAttivaRPT', { datiPagamentoPA: datiPA });
  const id = { codificaInfrastrutturaPSP: 'QR-CODE', codiceIdRPT: { 'qrc:QrCode': { 'qrc:CF': EC, 'qrc:AuxDigit': '3', 'qrc:CodIUV': k3.iuv } } };
  const base = { ...pspIds, codiceContestoPagamento: k3.ccp };
  await w.pspCall('nodoVerificaRPT', { ...base, ...id });
  const attiva = { ...base, identificativoIntermediarioPSPPagamento: PSP.idBrokerPSP, identificativoCanalePagamento: PSP.idChannel, ...id, datiPagamentoPSP: { importoSingoloVersamento: '150.50' } };
  await w.pspCall('nodoAttivaRPT', attiva);
  const header = { identificativoIntermediarioPA: BROKER, identificativoStazioneIntermediarioPA: STATION, identificativoDominio: EC, identificativoUnivocoVersamento: k3.iuv, codiceContestoPagamento: k3.ccp };
  await w.pa('nodoInviaRPT', { password: PASSWORD, identificativoPSP: PSP.idPSP, identificativoIntermediarioPSP: PSP.idBrokerPSP, identificativoCanale: PSP.idChannel, rpt: toBase64(rptXml(rpt(k3, (x) => (x.datiVersamento.tipoVersamento = 'PO')))) }, header);
  await w.nodo.waitRpt(EC, k3.iuv, k3.ccp, (x) => x.stato === 'RPT_ACCETTATA_PSP', 5000);
  w.ec.script.paaAttivaRPT = () => ({ paaAttivaRPTRisposta: { fault: { faultCode: 'PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO', faultString: 'importo', id: EC }, esito: 'KO', datiPagamentoPA: datiPA } });
  await w.pspCall('nodoAttivaRPT', { ...attiva, codiceContestoPagamento: 'altro' });
  await w.pspCall('nodoVerificaRPT', { ...base, ...id, password: 'sbagliata_1' }); // caller KO
}

describe.runIf(available)('the old-model Nodo’s messages against the official schemas', () => {
  it('every envelope the Nodo sends or answers, and every RT it writes, is valid', async () => {
    await traffic();
    const official = new Map(IFACES.map((n) => [n, readOfficialWsdl(n).schemas]));
    const emitted = w.journal.entries.filter((e) => e.from === 'nodo' && e.raw);
    const checked = new Set<string>();
    const problems: string[] = [];
    for (const e of emitted) {
      const [primitive, docName] = (e.primitive ?? '').split('#');
      const op = primitive ? OPERATIONS[primitive] : undefined;
      if (!op) continue;
      const errors = docName ? (DOCS[docName] ? documentErrors(e.raw, docName) : []) : envelopeErrors(e.raw, official.get(op.iface)!);
      checked.add(`${e.primitive}:${e.direction}`);
      problems.push(...errors.map((x) => `${e.primitive} ${e.direction}: ${x}`));
    }
    expect(problems).toEqual([]);
    // the traffic reached every kind of message the Nodo emits in these flows
    for (const m of ['nodoInviaCarrelloRPT:response', 'nodoInviaRT:response', 'nodoChiediStatoRPT:response', 'paaInviaRT:request', 'paaInviaRT#RT:request', 'pspInviaCarrelloRPT:request', 'pspInviaRPT:request', 'paaVerificaRPT:request', 'paaAttivaRPT:request', 'nodoAttivaRPT:response', 'paaInviaRichiestaRevoca:request', 'pspInviaRispostaRevoca:request', 'pspInviaRichiestaStorno:request', 'paaInviaEsitoStorno:request']) {
      expect(checked, m).toContain(m);
    }
  });
});

// Shared by the old-model PSP tests: an RPT as an EC sends it, a stub Nodo (a real serveSoap on
// /NodoPerPsp that validates what the PSP sends and answers as scripted), and the Nodo's side of
// PspPerNodo (requests built with our codec, sent over a real socket).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { XmlElement } from 'libxml2-wasm';
import type { Clock } from '../src/core/clock.js';
import { OFFICIAL_API_DIR } from '../src/core/paths.js';
import { isoDate, isoDateTime } from '../src/core/clock.js';
import { Journal } from '../src/core/journal.js';
import { type Rpt, fromBase64, rptXml, toBase64 } from '../domain/old/index.js';
import { nodoPerPsp, pspPerNodo } from '../interfaces/index.js';
import type { Operation } from '../src/wire/contract.js';
import { type CallResult, type RunningServer, soapCall, startSoapServer } from '../src/wire/http.js';
import { type FaultBean, SOAPENV_NS, encodeEnvelope, readErrorList, readFault, resultOf } from '../src/wire/soap.js';
import { type RequestMessage, serveSoap } from '../src/wire/soap-endpoint.js';
import { type El, type NodeObj, parseDocument, textOf } from '../src/wire/xml.js';
import { validateElement } from '../src/wire/xsd.js';

export const EC = '77777777777';

export function sampleRpt(iuv: string, ccp: string, cents: number, clock: Clock, idDominio = EC): Rpt {
  return {
    versioneOggetto: '6.2.0',
    dominio: { identificativoDominio: idDominio, identificativoStazioneRichiedente: `${idDominio}_01` },
    identificativoMessaggioRichiesta: `MSG${iuv}`.slice(0, 35),
    dataOraMessaggioRichiesta: isoDateTime(clock.now()),
    autenticazioneSoggetto: 'N/A',
    soggettoPagatore: { identificativoUnivocoPagatore: { tipoIdentificativoUnivoco: 'F', codiceIdentificativoUnivoco: 'RSSMRA80A01H501U' }, anagraficaPagatore: 'Mario Rossi' },
    enteBeneficiario: { identificativoUnivocoBeneficiario: { tipoIdentificativoUnivoco: 'G', codiceIdentificativoUnivoco: idDominio }, denominazioneBeneficiario: 'Comune di Collaudo' },
    datiVersamento: {
      dataEsecuzionePagamento: isoDate(clock.now()),
      importoTotaleDaVersare: cents,
      tipoVersamento: 'BBT',
      identificativoUnivocoVersamento: iuv,
      codiceContestoPagamento: ccp,
      firmaRicevuta: '0',
      datiSingoloVersamento: [{ importoSingoloVersamento: cents, ibanAccredito: 'IT61X0306909606100000012345', causaleVersamento: `/RFB/${iuv}/TXT/Tassa rifiuti`, datiSpecificiRiscossione: '9/0101100TS' }],
    },
  };
}

export const opOf = (pack: { operations: readonly Operation[] }, name: string): Operation => {
  const o = pack.operations.find((x) => x.name === name);
  if (!o) throw new Error(`no operation ${name}`);
  return o;
};

/** The Nodo calling the PSP's PspPerNodo endpoint (a real socket, journaled in `journal`). */
export async function nodoCallsPsp(url: string, primitive: string, content: NodeObj, clock: Clock, journal?: Journal): Promise<{ r: CallResult; inner?: El; esito?: string; fault?: FaultBean; errors: FaultBean[] }> {
  const o = opOf(pspPerNodo, primitive);
  const r = await soapCall({ url, op: o, envelope: encodeEnvelope(o, 'request', content), from: 'nodo', to: 'psp', timeoutMs: 5000, clock, journal });
  if (!r.decoded?.ok) return { r, errors: [] };
  const body = r.decoded.msg.body;
  const inner = resultOf(body, o);
  return { r, inner, esito: textOf(inner, 'esitoComplessivoOperazione') ?? textOf(inner, 'esito'), fault: readFault(body, o), errors: readErrorList(body, o) };
}

export function cartRequest(rpts: Rpt[], over: NodeObj = {}): NodeObj {
  return {
    identificativoPSP: 'CLLDITMM001',
    identificativoIntermediarioPSP: '99999000001',
    identificativoCanale: '99999000001_01',
    modelloPagamento: 0,
    ...over,
    listaRPT: {
      elementoListaCarrelloRPT: rpts.map((r) => ({
        identificativoDominio: r.dominio.identificativoDominio,
        identificativoUnivocoVersamento: r.datiVersamento.identificativoUnivocoVersamento,
        codiceContestoPagamento: r.datiVersamento.codiceContestoPagamento,
        rpt: toBase64(rptXml(r)),
      })),
    },
  };
}

export function rptRequest(r: Rpt, modelloPagamento = 4): NodeObj {
  return {
    identificativoDominio: r.dominio.identificativoDominio,
    identificativoPSP: 'CLLDITMM001',
    identificativoIntermediarioPSP: '99999000001',
    identificativoCanale: '99999000001_01',
    modelloPagamento,
    elementoListaRPT: [{ identificativoUnivocoVersamento: r.datiVersamento.identificativoUnivocoVersamento, codiceContestoPagamento: r.datiVersamento.codiceContestoPagamento, rpt: toBase64(rptXml(r)) }],
  };
}

/** A stub Nodo serving NodoPerPsp: every request validated by the pipeline, kept, and answered by `answer` (default OK). */
export class StubNodo {
  readonly journal: Journal;
  readonly received: RequestMessage[] = [];
  answer: (m: RequestMessage) => NodeObj = () => ({ esito: 'OK' });
  private server?: RunningServer;
  constructor(private readonly clock: Clock) {
    this.journal = new Journal(clock);
  }
  async start(): Promise<string> {
    this.server = await startSoapServer({
      name: 'nodo', clock: this.clock, interfaces: [nodoPerPsp], journal: () => this.journal,
      handle: (req) =>
        serveSoap(
          {
            interfaces: [nodoPerPsp],
            codes: { syntax: 'PPT_SINTASSI_EXTRAXSD', document: 'PPT_SINTASSI_XSD' },
            fault: (_op, r) => ({ faultCode: r.code, faultString: r.code, id: 'NodoDeiPagamentiSPC', description: r.description }),
            soapAction: 'required',
            skip: { caller: true },
            handle: (m) => {
              this.received.push(m);
              const inner = this.answer(m);
              return m.op.result ? { [m.op.result]: inner } : inner;
            },
          },
          req,
        ),
    });
    return `${this.server.url}/NodoPerPsp`;
  }
  async stop(): Promise<void> {
    await this.server?.close();
  }
}

/**
 * An envelope's header and body elements, and the RT/RR/ER/RPT documents it carries, validated
 * against the official schemas (the WSDL's embedded ones, gad/xsd for documents): the independent
 * cross-check of what the emulated PSP emits.
 */
export function officialVerdict(raw: string, schemas: Map<string, string>): string[] {
  const doc = parseDocument(raw);
  try {
    const errors: string[] = [];
    const children = (e: XmlElement) => {
      const out: XmlElement[] = [];
      for (let c = e.firstChild; c; c = c.next) if (c instanceof XmlElement) out.push(c);
      return out;
    };
    const parts = children(doc.root).filter((c) => c.namespaceUri === SOAPENV_NS).flatMap(children);
    for (const el of parts) {
      const schema = schemas.get(el.namespaceUri);
      if (!schema) errors.push(`no official schema for {${el.namespaceUri}}${el.name}`);
      else errors.push(...validateElement(el, schema).errors.map((e) => `${el.name}: ${e}`));
      const walk = (e: XmlElement): void => {
        if (['rpt', 'rt', 'rr', 'er'].includes(e.name)) errors.push(...officialDocumentVerdict(fromBase64(e.content, e.name).toString('utf8')).map((x) => `${e.name}: ${x}`));
        else children(e).forEach(walk);
      };
      walk(el);
    }
    return errors;
  } finally {
    doc.dispose();
  }
}

/** A document (RPT/RT or RR/ER) against the official schema of its kind. */
export function officialDocumentVerdict(xml: string): string[] {
  const doc = parseDocument(xml);
  try {
    const file = ['RR', 'ER'].includes(doc.root.name) ? path.join(OFFICIAL_API_DIR, 'general', 'RR_ER_1_0_0.xsd') : path.join(OFFICIAL_API_DIR, 'gad', 'xsd', 'PagInf_RPT_RT_6_2_0.xsd');
    if (!existsSync(file)) return [];
    return validateElement(doc.root, file).errors;
  } finally {
    doc.dispose();
  }
}

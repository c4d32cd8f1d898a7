// What the Nodo reads of the base64 documents it routes (RPT, RT, RR, ER): the keys and amounts its
// state needs, beside the whole document as domain/old reads it (for domain/old's checks and the RTs
// it builds). The pipeline validated them against their schemas before a handler sees them.
import { parseAmount } from '../../../domain/common.js';
import { DocumentError, type Er, type Rpt, type Rr, type Rt, readEr, readRpt, readRr, readRt, toBase64 } from '../../../domain/old/index.js';
import { type El, type NodeObj, child, childrenNamed, parseDocument, pathText, textOf, toEl } from '../../../src/wire/xml.js';
import { DOCUMENT_NS } from '../../../interfaces/old/index.js';

export class DocumentUnreadable extends Error {}

/** The document inside a base64 element, as an El tree; throws DocumentUnreadable. */
export function readBase64Doc(base64: string | undefined, what: string): { el: El; xml: string } {
  if (!base64) throw new DocumentUnreadable(`${what} is missing`);
  const xml = Buffer.from(base64.replace(/\s+/g, ''), 'base64').toString('utf8');
  let doc;
  try {
    doc = parseDocument(xml);
  } catch (e) {
    throw new DocumentUnreadable(`${what} is not well-formed XML: ${(e as Error).message}`);
  }
  try {
    return { el: toEl(doc.root), xml };
  } finally {
    doc.dispose();
  }
}

export { toBase64 };

/** domain/old's reader, its DocumentError as DocumentUnreadable. */
function whole<T>(read: (xml: string) => T, xml: string): T {
  try {
    return read(xml);
  } catch (e) {
    if (e instanceof DocumentError) throw new DocumentUnreadable(e.message);
    throw e;
  }
}

/** The RPT as the Nodo sees it (PagInf_RPT_RT_6_2_0 field names; amounts in cents). */
export interface RptView {
  idDominio: string;
  iuv: string;
  ccp: string;
  idMessaggio: string;
  dataOra: string;
  tipoVersamento: string;
  totalCents: number;
  singoli: { cents: number; ibanAccredito?: string; ibanAppoggio?: string; bollo: boolean; causale?: string }[];
  enteBeneficiario?: string;
  xml: string;
  doc: Rpt;
}

export function readRptView(base64: string | undefined): RptView {
  const { el, xml } = readBase64Doc(base64, 'rpt');
  const dv = child(el, 'datiVersamento');
  return {
    idDominio: pathText(el, 'dominio', 'identificativoDominio') ?? '',
    iuv: textOf(dv, 'identificativoUnivocoVersamento') ?? '',
    ccp: textOf(dv, 'codiceContestoPagamento') ?? '',
    idMessaggio: textOf(el, 'identificativoMessaggioRichiesta') ?? '',
    dataOra: textOf(el, 'dataOraMessaggioRichiesta') ?? '',
    tipoVersamento: textOf(dv, 'tipoVersamento') ?? '',
    totalCents: parseAmount(textOf(dv, 'importoTotaleDaVersare')) ?? NaN,
    singoli: childrenNamed(dv, 'datiSingoloVersamento').map((s) => ({
      cents: parseAmount(textOf(s, 'importoSingoloVersamento')) ?? NaN,
      ibanAccredito: textOf(s, 'ibanAccredito'),
      ibanAppoggio: textOf(s, 'ibanAppoggio'),
      bollo: !!child(s, 'datiMarcaBolloDigitale'),
      causale: textOf(s, 'causaleVersamento'),
    })),
    enteBeneficiario: pathText(el, 'enteBeneficiario', 'denominazioneBeneficiario'),
    xml,
    doc: whole(readRpt, xml),
  };
}

export interface RtView {
  idDominio: string;
  iuv: string;
  ccp: string;
  idMessaggio: string;
  riferimentoMessaggioRichiesta: string;
  codiceEsito: string;
  paidCents: number;
  dataOra: string;
  singoli: { cents: number; iur: string; data?: string }[];
  /** the paying PSP (istitutoAttestante) */
  idPSPAttestante?: string;
  xml: string;
  doc: Rt;
}

export function readRtView(base64: string | undefined): RtView {
  const { el, xml } = readBase64Doc(base64, 'rt');
  const dp = child(el, 'datiPagamento');
  return {
    idDominio: pathText(el, 'dominio', 'identificativoDominio') ?? '',
    iuv: textOf(dp, 'identificativoUnivocoVersamento') ?? '',
    ccp: textOf(dp, 'CodiceContestoPagamento') ?? textOf(dp, 'codiceContestoPagamento') ?? '',
    idMessaggio: textOf(el, 'identificativoMessaggioRicevuta') ?? '',
    riferimentoMessaggioRichiesta: textOf(el, 'riferimentoMessaggioRichiesta') ?? '',
    codiceEsito: textOf(dp, 'codiceEsitoPagamento') ?? '',
    paidCents: parseAmount(textOf(dp, 'importoTotalePagato')) ?? NaN,
    dataOra: textOf(el, 'dataOraMessaggioRicevuta') ?? '',
    singoli: childrenNamed(dp, 'datiSingoloPagamento').map((s) => ({
      cents: parseAmount(textOf(s, 'singoloImportoPagato')) ?? NaN,
      iur: textOf(s, 'identificativoUnivocoRiscossione') ?? '',
      data: textOf(s, 'dataEsitoSingoloPagamento'),
    })),
    idPSPAttestante: pathText(el, 'istitutoAttestante', 'identificativoUnivocoAttestante', 'codiceIdentificativoUnivoco'),
    xml,
    doc: whole(readRt, xml),
  };
}

/** RR or ER (RR_ER_1_0_0): the keys, the message id and (RR) tipoRevoca. */
export interface RevocaView {
  idDominio: string;
  iuv: string;
  ccp: string;
  idMessaggio: string;
  tipoRevoca?: string;
  /** ER: the RR it answers */
  riferimentoMessaggioRevoca?: string;
  totalCents: number;
  xml: string;
  doc: Rr | Er;
}

export function readRevocaView(base64: string | undefined, what: 'rr' | 'er'): RevocaView {
  const { el, xml } = readBase64Doc(base64, what);
  const dr = child(el, 'datiRevoca');
  return {
    idDominio: pathText(el, 'dominio', 'identificativoDominio') ?? '',
    iuv: textOf(dr, 'identificativoUnivocoVersamento') ?? '',
    ccp: textOf(dr, 'codiceContestoPagamento') ?? '',
    idMessaggio: textOf(el, what === 'rr' ? 'identificativoMessaggioRevoca' : 'identificativoMessaggioEsito') ?? '',
    tipoRevoca: textOf(dr, 'tipoRevoca'),
    riferimentoMessaggioRevoca: textOf(el, 'riferimentoMessaggioRevoca'),
    totalCents: parseAmount(textOf(dr, 'importoTotaleRevocato')) ?? NaN,
    xml,
    doc: what === 'rr' ? whole(readRr, xml) : whole(readEr, xml),
  };
}

const PREFIX_OF = new Map<string, string>(Object.entries(DOCUMENT_NS).map(([p, ns]) => [ns, p]));

/**
 * An element's content to send on unchanged (datiPagamentoPA relayed to the PSP, datiPagamentoPSP to
 * the EC): order kept, and the children qualified in a document schema's namespace keep it (the
 * envelope declares those prefixes: interfaces/old/common.ts DOCUMENT_NS).
 */
export function relayContent(el: El): NodeObj {
  const out: NodeObj = {};
  for (const c of el.children) {
    const p = c.ns ? PREFIX_OF.get(c.ns) : undefined;
    const key = p ? `${p}:${c.name}` : c.name;
    const v = c.children.length ? relayContent(c) : c.text.trim();
    const prev = out[key];
    out[key] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

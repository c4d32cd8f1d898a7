// What the old-model interfaces (SANP 2.2.6) share: the body and SOAP header namespaces, the
// correlation keys that follow one payment across RPT/RT messages, and the base64 documents
// (RPT, RT, RR, ER) with the schemas that validate them (interfaces/old/documents/).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Correlation } from '../../src/core/journal.js';
import type { CorrelationRule, DeriveCorrelation, DocumentRule } from '../../src/wire/contract.js';
import { type El, child, textOf } from '../../src/wire/xml.js';

/** The body namespace, shared by every old-model interface (dispatch goes by endpoint path, then element). */
export const PPT_NS = 'http://ws.pagamenti.telematici.gov/';
/** The namespace of the SOAP headers intestazionePPT and intestazioneCarrelloPPT. */
export const PPTHEAD_NS = 'http://ws.pagamenti.telematici.gov/ppthead';
export const PPTHEAD = { ns: PPTHEAD_NS, prefix: 'ppthead' } as const;

/** Namespaces of the qualified content the bodies borrow from the document schemas. */
export const DOCUMENT_NS = {
  /** RPT/RT types (datiPagamentoPA's enteBeneficiario, datiPagamentoPSP's soggettoVersante …) */
  pay_i: 'http://www.digitpa.gov.it/schemas/2011/Pagamenti/',
  /** ACK (pspInviaAckRT's ackRT content) */
  pay_j: 'http://www.cnipa.gov.it/schemas/2010/Pagamenti/Ack_1_0/',
  /** codiceIdRPT forms */
  qrc: 'http://PuntoAccessoPSP.spcoop.gov.it/QrCode',
  bc: 'http://PuntoAccessoPSP.spcoop.gov.it/BarCode_GS1_128_Modified',
  aim: 'http://PuntoAccessoPSP.spcoop.gov.it/Code_128_AIM_USS-128_tipo_C',
} as const;

export const OLD_PREFIX = 'ppt';

/**
 * A payment of the old model is followed by EC (identificativoDominio), IUV and CCP (in the body,
 * in intestazionePPT, and in codiceIdRPT's forms as CF / CodIUV), a cart by its identifier, a
 * reporting flow by its identifier.
 */
export const OLD_MODEL_CORRELATION: CorrelationRule = {
  idDominio: ['identificativoDominio'],
  iuv: ['identificativoUnivocoVersamento', 'IUV', 'CodIUV'],
  ccp: ['codiceContestoPagamento', 'CodiceContestoPagamento'],
  idCarrello: ['identificativoCarrello'],
  idFlusso: ['identificativoFlusso'],
  fiscalCode: ['CF'],
};

const find = (el: El | undefined, name: string): El | undefined => (!el ? undefined : el.name === name ? el : el.children.map((c) => find(c, name)).find(Boolean));

/**
 * Keys composed from several elements: the notice number a codiceIdRPT gives (aux digit, the
 * station's code when aux is 0, IUV: QrCode, BarCode and aim128 alike) or a numeroAvviso, and the
 * WISP session of a cart's answer (the idSession parameter of its url).
 */
export const deriveOldCorrelation: DeriveCorrelation = ({ body }) => {
  const c: Correlation = {};
  const form = find(body, 'codiceIdRPT')?.children[0];
  const aux = textOf(form, 'AuxDigit');
  const iuv = textOf(form, 'CodIUV');
  if (aux !== undefined && iuv) c.noticeNumber = `${aux}${textOf(form, 'CodStazPA') ?? ''}${iuv}`;
  // paaChiediNumeroAvviso's answer gives the new notice in parts too
  const notice = find(body, 'numeroAvviso');
  const nAux = textOf(notice, 'auxDigit');
  const nIuv = textOf(notice, 'IUV');
  if (c.noticeNumber === undefined && nAux !== undefined && nIuv) c.noticeNumber = `${nAux}${textOf(notice, 'applicationCode') ?? ''}${nIuv}`;
  const url = textOf(child(body, body.name) ?? body, 'url') ?? textOf(body, 'url');
  const session = url ? /[?&]idSession=([^&#]+)/.exec(url)?.[1] : undefined;
  if (session) c.idSession = decodeURIComponent(session);
  return c;
};

const DOCUMENTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'documents');
const RPT_RT = path.join(DOCUMENTS_DIR, 'PagInf_RPT_RT_6_2_0.xsd');
const RR_ER = path.join(DOCUMENTS_DIR, 'RR_ER_1_0_0.xsd');

/** The documents, by the body element that carries them (the same name means the same document in every interface). */
export const DOCUMENT = {
  rpt: { element: 'rpt', name: 'RPT', schema: RPT_RT, root: 'RPT' },
  rt: { element: 'rt', name: 'RT', schema: RPT_RT, root: 'RT' },
  rr: { element: 'rr', name: 'RR', schema: RR_ER, root: 'RR' },
  er: { element: 'er', name: 'ER', schema: RR_ER, root: 'ER' },
} as const satisfies Record<string, DocumentRule>;

/** The folder of an interface's module (its schema and WSDL live beside it). */
export const here = (url: string): string => path.dirname(fileURLToPath(url));

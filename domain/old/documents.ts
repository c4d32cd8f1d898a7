// Builders and readers of the old-model documents, and their base64 transport form (the SOAP
// primitives carry RPT, RT, RR and ER base64-encoded: rpt, rt, rr, er fields).
import { DocumentError, buildDocument, readDocument } from './codec.js';
import { ACK_SHAPE, ER_SHAPE, RPT_SHAPE, RR_SHAPE, RT_SHAPE } from './shapes.js';
import type { AckRt, Er, Rpt, Rr, Rt } from './types.js';

export const rptXml = (doc: Rpt): string => buildDocument(RPT_SHAPE, doc);
export const rtXml = (doc: Rt): string => buildDocument(RT_SHAPE, doc);
export const rrXml = (doc: Rr): string => buildDocument(RR_SHAPE, doc);
export const erXml = (doc: Er): string => buildDocument(ER_SHAPE, doc);
export const ackXml = (doc: AckRt): string => buildDocument(ACK_SHAPE, doc);

/** Readers: throw DocumentError naming the field and the rule. */
export const readRpt = (xml: string | Buffer): Rpt => readDocument<Rpt>(RPT_SHAPE, xml);
export const readRt = (xml: string | Buffer): Rt => readDocument<Rt>(RT_SHAPE, xml);
export const readRr = (xml: string | Buffer): Rr => readDocument<Rr>(RR_SHAPE, xml);
export const readEr = (xml: string | Buffer): Er => readDocument<Er>(ER_SHAPE, xml);
export const readAck = (xml: string | Buffer): AckRt => readDocument<AckRt>(ACK_SHAPE, xml);

/** The base64 of a document's UTF-8 bytes, as the SOAP primitives carry it. */
export function toBase64(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64');
}

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

/** The bytes of a base64 field as a Buffer (readers take it as is, so its encoding decides); throws when it is not base64. */
export function fromBase64(b64: string, what = 'document'): Buffer {
  const compact = b64.replace(/\s+/g, '');
  if (!BASE64.test(b64) || compact.length % 4 !== 0) throw new DocumentError(what, '', 'format', 'is not base64');
  return Buffer.from(compact, 'base64');
}

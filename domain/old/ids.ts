// Identifiers of the old model: the IUV an EC generates (Allegato A forms, TR-29/TR-30), the CCP the
// initiator of a payment generates, and codiceIdRPT, the notice as nodoVerificaRPT / nodoAttivaRPT
// carry it (TR-28: QrCode, GS1-128 BarCode, Code 128 AIM), decoded by the Nodo into domain and IUV.
import { type Cents, checkDigit, formatAmount, isFiscalCodePA, isValidIban, makeIban, parseNotice } from '../common.js';
import { type El, escapeXml } from '../../src/wire/xml.js';
import { type DocShape, DocumentError, f, group, oneOf, parseRoot, pattern, readElement } from './codec.js';
import { NS_OLD } from './types.js';

// ---------- IUV ----------

/**
 * The IUV forms of a notice (TR-29, codiceIdRPT CodIUV 15 or 17 digits): aux 0 = 13-digit base + 2
 * check digits (the application code stays outside the IUV); aux 1 = 17 digits, no check; aux 2 =
 * 15-digit base + 2 check digits; aux 3 = segregation code + 13-digit base + 2 check digits. Check
 * digits are (aux ‖ code ‖ base) mod 93, as domain/common.ts computes them for the new model.
 */
export type IuvForm = { auxDigit: 0; applicationCode: string } | { auxDigit: 1 } | { auxDigit: 2 } | { auxDigit: 3; segregationCode: string };

export interface Iuv {
  iuv: string;
  /** the 18-digit notice number (numero avviso) that carries it */
  noticeNumber: string;
}

/** The `seq`-th IUV of a form: deterministic, so a scenario names the same IUV on every run. */
export function newIuv(form: IuvForm, seq: number): Iuv {
  if (!Number.isSafeInteger(seq) || seq < 0) throw new RangeError(`IUV sequence must be a non-negative integer, got ${seq}`);
  const digits = (n: number) => {
    const s = String(seq);
    if (s.length > n) throw new RangeError(`IUV sequence ${seq} does not fit in ${n} digits`);
    return s.padStart(n, '0');
  };
  switch (form.auxDigit) {
    case 0: {
      if (!/^\d{2}$/.test(form.applicationCode)) throw new RangeError('application code is 2 digits');
      const base = digits(13);
      const iuv = base + checkDigit(`0${form.applicationCode}${base}`);
      return { iuv, noticeNumber: `0${form.applicationCode}${iuv}` };
    }
    case 1: {
      const iuv = digits(17);
      return { iuv, noticeNumber: `1${iuv}` };
    }
    case 2: {
      const base = digits(15);
      const iuv = base + checkDigit(`2${base}`);
      return { iuv, noticeNumber: `2${iuv}` };
    }
    case 3: {
      if (!/^\d{2}$/.test(form.segregationCode)) throw new RangeError('segregation code is 2 digits');
      const base = digits(13);
      const iuv = form.segregationCode + base + checkDigit(`3${form.segregationCode}${base}`);
      return { iuv, noticeNumber: `3${iuv}` };
    }
  }
}

/**
 * An IUV in the ISO 11649 structured creditor reference form (RF ‖ 2 check digits ‖ reference, at most
 * 25 characters), the form the causale's /RFS/ tag announces (TR-35); used for payments started at the
 * EC, which print no notice. The reference is the `seq`-th, 15 digits.
 */
export function newIuvRf(seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 0 || String(seq).length > 15) throw new RangeError(`RF sequence must be 0..10^15-1, got ${seq}`);
  const ref = String(seq).padStart(15, '0');
  // ISO 11649 check digits are the IBAN's mod-97 ones with "RF" as the country
  return makeIban('RF', ref);
}

/** True for an ISO 11649 reference with the right check digits. */
export function isRfIuv(iuv: string): boolean {
  return /^RF\d{2}[A-Za-z0-9]{1,21}$/.test(iuv) && isValidIban(iuv.toUpperCase());
}

/**
 * The causaleVersamento of an RPT transfer (Allegato A Section I, TR-35): /RFS/ for an ISO 11649 IUV,
 * /RFB/ for the others, then the amount and an optional /TXT/ text; at most 140 characters.
 */
export function causaleVersamento(iuv: string, amount: Cents, text?: string): string {
  const c = `/${isRfIuv(iuv) ? 'RFS' : 'RFB'}/${iuv}/${formatAmount(amount)}${text ? `/TXT/${text}` : ''}`;
  return c.length > 140 ? c.slice(0, 140) : c;
}

/** The IUV inside a notice number (aux 0: without the application code). */
export function iuvOfNotice(noticeNumber: string): string | undefined {
  const p = parseNotice(noticeNumber);
  if (!p) return undefined;
  return p.auxDigit === 0 ? noticeNumber.slice(3) : noticeNumber.slice(1);
}

/**
 * A CCP (codiceContestoPagamento, 1..35 characters, TR-30): unique per payment attempt, made by
 * whoever starts the payment. `now` is the injected clock's time in ms; `seq` separates attempts
 * within the same second.
 */
export function newCcp(now: number, seq: number, prefix = 'CCP'): string {
  const stamp = new Date(now).toISOString().replace(/\D/g, '').slice(0, 14);
  const ccp = `${prefix}${stamp}${String(seq).padStart(6, '0')}`;
  if (ccp.length > 35) throw new RangeError(`CCP ${ccp} is longer than 35 characters`);
  return ccp;
}

// ---------- codiceIdRPT ----------

export type CodiceIdRptForm = 'QrCode' | 'BarCode' | 'aim128';

/** The three forms (TR-28); field names are the schemas'. */
export type CodiceIdRpt =
  | { form: 'QrCode'; CF: string; CodStazPA?: string; AuxDigit: string; CodIUV: string }
  | { form: 'BarCode'; Gln: string; CodStazPA?: string; AuxDigit: string; CodIUV: string }
  | { form: 'aim128'; CCPost: string; CodStazPA?: string; AuxDigit: string; CodIUV: string };

/** codificaInfrastrutturaPSP that names each form; notices use "QR-CODE" (TR-27, L1728). */
export const CODIFICA_INFRASTRUTTURA: Record<CodiceIdRptForm, string> = { QrCode: 'QR-CODE', BarCode: 'BARCODE-GS1-128', aim128: 'BARCODE-128-AIM' };

const SHAPES: Record<CodiceIdRptForm, DocShape> = {
  QrCode: idShape('QrCode', NS_OLD.qrCode, 'CF', 11),
  BarCode: idShape('BarCode', NS_OLD.barCode, 'Gln', 13),
  aim128: idShape('aim128', NS_OLD.aim128, 'CCPost', 12),
};
function idShape(root: CodiceIdRptForm, ns: string, key: string, len: number): DocShape {
  return {
    doc: `codiceIdRPT ${root}`,
    root,
    ns,
    content: group(
      f(key, pattern(new RegExp(`^[0-9]{${len}}$`), `${len} digits`)),
      f('CodStazPA', pattern(/^[0-9]{2}$/, '2 digits'), '?'),
      f('AuxDigit', oneOf(['0', '1', '2', '3'])),
      f('CodIUV', pattern(/^([0-9]{15}|[0-9]{17})$/, '15 or 17 digits')),
    ),
  };
}
const KEY = { QrCode: 'CF', BarCode: 'Gln', aim128: 'CCPost' } as const;

/**
 * The codiceIdRPT of a notice (seed L1729-1733): CodStazPA is the application code (aux 0) or the
 * segregation code (aux 3) "if present", AuxDigit the notice's first digit, CodIUV the IUV. QrCode
 * takes the EC's fiscal code; BarCode its GLN and aim128 its postal account, passed as `id`.
 */
export function codiceIdRpt(fiscalCodeOrId: string, noticeNumber: string, form: CodiceIdRptForm = 'QrCode'): CodiceIdRpt {
  const p = parseNotice(noticeNumber);
  if (!p) throw new RangeError(`${noticeNumber} is not a notice number (18 digits, aux digit 0-3)`);
  if (form === 'QrCode' && !isFiscalCodePA(fiscalCodeOrId)) throw new RangeError(`${fiscalCodeOrId} is not an EC fiscal code (11 digits)`);
  const common = { AuxDigit: String(p.auxDigit), CodIUV: iuvOfNotice(noticeNumber)!, ...(p.code ? { CodStazPA: p.code } : {}) };
  switch (form) {
    case 'QrCode':
      return { form, CF: fiscalCodeOrId, ...common };
    case 'BarCode':
      return { form, Gln: fiscalCodeOrId, ...common };
    case 'aim128':
      return { form, CCPost: fiscalCodeOrId, ...common };
  }
}

export interface NoticeOfCodiceIdRpt {
  /** the EC's fiscal code (QrCode form only; the other forms name the EC by GLN or postal account) */
  fiscalCode?: string;
  /** CF, Gln or CCPost */
  id: string;
  noticeNumber: string;
  iuv: string;
}

/**
 * The notice a codiceIdRPT names. Aux 0: notice = 0 ‖ CodStazPA ‖ CodIUV(15). Aux 1, 2: 1|2 ‖
 * CodIUV(17). Aux 3 is read both ways the seed allows: CodIUV(17) with CodStazPA absent or equal to
 * its first two digits, or CodStazPA ‖ CodIUV(15) forming the 17-digit IUV.
 */
export function noticeOfCodiceIdRpt(c: CodiceIdRpt): NoticeOfCodiceIdRpt {
  const where = `codiceIdRPT ${c.form}`;
  const id = c.form === 'QrCode' ? c.CF : c.form === 'BarCode' ? c.Gln : c.CCPost;
  const base = { id, ...(c.form === 'QrCode' ? { fiscalCode: c.CF } : {}) };
  const aux = c.AuxDigit;
  const fail = (field: string, detail: string) => new DocumentError(where, field, 'format', detail);
  if (aux === '0') {
    if (c.CodIUV.length !== 15) throw fail('CodIUV', 'aux digit 0 carries a 15-digit IUV');
    if (!c.CodStazPA) throw fail('CodStazPA', 'aux digit 0 needs the application code');
    return { ...base, noticeNumber: `0${c.CodStazPA}${c.CodIUV}`, iuv: c.CodIUV };
  }
  if (aux === '3' && c.CodIUV.length === 15) {
    if (!c.CodStazPA) throw fail('CodStazPA', 'aux digit 3 with a 15-digit CodIUV needs the segregation code');
    const iuv = c.CodStazPA + c.CodIUV;
    return { ...base, noticeNumber: `3${iuv}`, iuv };
  }
  if (c.CodIUV.length !== 17) throw fail('CodIUV', `aux digit ${aux} carries a 17-digit IUV`);
  if (aux === '3' && c.CodStazPA && c.CodStazPA !== c.CodIUV.slice(0, 2)) throw fail('CodStazPA', 'differs from the segregation code that starts the IUV');
  return { ...base, noticeNumber: `${aux}${c.CodIUV}`, iuv: c.CodIUV };
}

/** The element codiceIdRPT holds (qualified in the form's namespace), for a SOAP body. */
export function codiceIdRptXml(c: CodiceIdRpt, prefix = ''): string {
  const q = (n: string) => (prefix ? `${prefix}:${n}` : n);
  const key = KEY[c.form];
  const value = (c as Record<string, string | undefined>)[key]!;
  const parts = [
    `<${q(key)}>${escapeXml(value)}</${q(key)}>`,
    c.CodStazPA !== undefined ? `<${q('CodStazPA')}>${escapeXml(c.CodStazPA)}</${q('CodStazPA')}>` : '',
    `<${q('AuxDigit')}>${escapeXml(c.AuxDigit)}</${q('AuxDigit')}>`,
    `<${q('CodIUV')}>${escapeXml(c.CodIUV)}</${q('CodIUV')}>`,
  ];
  const xmlns = prefix ? `xmlns:${prefix}` : 'xmlns';
  return `<${q(c.form)} ${xmlns}="${SHAPES[c.form].ns}">${parts.join('')}</${q(c.form)}>`;
}

/** A stand-alone document of one form (nodoTipoCodiceIdRPT wrapper of the IdRPT_*_v04 schemas). */
export function codiceIdRptDocument(c: CodiceIdRpt): string {
  const ns = SHAPES[c.form].ns;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<nodoTipoCodiceIdRPT xmlns="${ns}">${codiceIdRptXml(c).replace(` xmlns="${ns}"`, '')}</nodoTipoCodiceIdRPT>`;
}

/**
 * Reads a codiceIdRPT: the element of a request (its one child is QrCode, BarCode or aim128), or the
 * text of a stand-alone nodoTipoCodiceIdRPT document.
 */
export function readCodiceIdRpt(source: El | string): CodiceIdRpt {
  const codiceIdRPT = typeof source === 'string' ? parseRoot('codiceIdRPT', source) : source;
  const inner = codiceIdRPT.children.filter((c) => c.name in SHAPES);
  const only = inner[0];
  if (inner.length !== 1 || codiceIdRPT.children.length !== 1 || !only) {
    throw new DocumentError('codiceIdRPT', '', 'occurrences', `holds ${codiceIdRPT.children.map((c) => c.name).join(', ') || 'nothing'}; expected exactly one of QrCode, BarCode, aim128`);
  }
  const form = only.name as CodiceIdRptForm;
  const v = readElement<Record<string, string>>(SHAPES[form], only);
  return { form, ...v } as CodiceIdRpt;
}


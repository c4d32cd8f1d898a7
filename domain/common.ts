// Value types of the new model and their rules. Amounts are integer cents inside the harness;
// the wire form is `\d+\.\d{2}` (IF-X-19).

export type Cents = number;

export function formatAmount(c: Cents): string {
  if (!Number.isInteger(c) || c < 0) throw new RangeError(`amount must be a non-negative integer number of cents, got ${c}`);
  return `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`;
}
/** Parses the wire form; undefined when it is not `\d+\.\d{2}`. */
export function parseAmount(s: string | undefined): Cents | undefined {
  if (s === undefined || !/^\d+\.\d{2}$/.test(s)) return undefined;
  const [i, d] = s.split('.') as [string, string];
  return Number(i) * 100 + Number(d);
}

export const isFiscalCodePA = (s: string | undefined): boolean => !!s && /^[0-9]{11}$/.test(s);
export const isNoticeNumber = (s: string | undefined): boolean => !!s && /^[0-9]{18}$/.test(s);

/** ISO 13616 IBAN check (mod 97) on top of the PSP-side pattern of nodeForPsp. */
export function isValidIban(iban: string | undefined): boolean {
  if (!iban || !/^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}$/.test(iban)) return false;
  const r = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (const ch of r) {
    const v = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rem = (rem * 10 + Number(d)) % 97;
  }
  return rem === 1;
}

/** Italian postal account IBAN: ABI 07601 after the check digits and the CIN (IT kk C 07601 …): the allCCP flag of activatePaymentNoticeV2. */
export function isPostalIban(iban: string): boolean {
  return /^IT\d{2}[A-Z]07601/.test(iban);
}

/** Builds a valid IBAN for a country and BBAN (computes the check digits). */
export function makeIban(country: string, bban: string): string {
  const r = bban + country + '00';
  let rem = 0;
  for (const ch of r) {
    const v = ch >= 'A' ? String(ch.charCodeAt(0) - 55) : ch;
    for (const d of v) rem = (rem * 10 + Number(d)) % 97;
  }
  return `${country}${String(98 - rem).padStart(2, '0')}${bban}`;
}

// ---------- notice number (numero avviso) and IUV (NM-X-NAV-01) ----------

export interface NoticeParts {
  auxDigit: 0 | 1 | 2 | 3;
  /** application code (aux 0) or segregation code (aux 3) */
  code?: string;
  iuv: string;
}

/** Check digit: (auxDigit ‖ code ‖ IUV base) mod 93, two digits. */
export function checkDigit(prefix: string): string {
  let rem = 0;
  for (const d of prefix) rem = (rem * 10 + Number(d)) % 93;
  return String(rem).padStart(2, '0');
}

/** Notice number for aux digit 3 (segregation code, the usual choice of multi-station brokers). */
export function noticeAux3(segregationCode: string, base13: string): string {
  if (!/^\d{2}$/.test(segregationCode) || !/^\d{13}$/.test(base13)) throw new RangeError('segregation code is 2 digits, IUV base 13');
  return `3${segregationCode}${base13}${checkDigit(`3${segregationCode}${base13}`)}`;
}

export function parseNotice(n: string): NoticeParts | undefined {
  if (!isNoticeNumber(n)) return undefined;
  const aux = Number(n[0]) as NoticeParts['auxDigit'];
  switch (aux) {
    case 0:
      return { auxDigit: 0, code: n.slice(1, 3), iuv: n.slice(3) };
    case 3:
      return { auxDigit: 3, code: n.slice(1, 3), iuv: n.slice(1) };
    case 1:
    case 2:
      return { auxDigit: aux, iuv: n.slice(1) };
    default:
      return undefined;
  }
}

/** True when a notice with a check digit carries the right one (aux 0, 2, 3). */
export function noticeCheckDigitOk(n: string): boolean {
  const p = parseNotice(n);
  if (!p) return false;
  if (p.auxDigit === 1) return true;
  return checkDigit(n.slice(0, 16)) === n.slice(16);
}

// ---------- debt position ----------

export type PositionState = 'payable' | 'paid' | 'expired' | 'cancelled' | 'in-progress';
export const POSITION_STATES: PositionState[] = ['payable', 'paid', 'expired', 'cancelled', 'in-progress'];

/** The notice states a profile may list; `unknown` notices are ones the EC never issued. */
export type NoticeState = PositionState | 'unknown';
export const NOTICE_STATES: NoticeState[] = [...POSITION_STATES, 'unknown'];

export interface Transfer {
  idTransfer: number;
  amount: Cents;
  fiscalCodePA: string;
  iban: string;
  remittanceInformation: string;
  transferCategory: string;
  companyName?: string;
}

export interface Subject {
  type: 'F' | 'G';
  id: string;
  fullName: string;
  email?: string;
}

export interface DebtPosition {
  fiscalCode: string;
  noticeNumber: string;
  iuv: string;
  amount: Cents;
  description: string;
  companyName: string;
  officeName?: string;
  dueDate: string;
  debtor: Subject;
  transfers: Transfer[];
  state: PositionState;
  metadata?: Record<string, string>;
}

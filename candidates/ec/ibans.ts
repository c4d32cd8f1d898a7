// The station's IBAN rules: bank accounts by default, postal ones when Poste asks (transferType
// POSTAL, IF-paGetPayment-F73), allCCP (IF-paVerifyPaymentNotice-F71), and a derived IBAN for an
// EC known only by its fiscal code.
import { isPostalIban, makeIban } from '../../domain/common.js';
import type { EcPosition } from './archive.js';

/** The ECs a station serves, by fiscal code, with their registered IBANs. */
type Accounts = ReadonlyMap<string, { ibans: string[] }>;

export { isPostalIban };

/** A deterministic, valid IBAN for an EC the station does not know (secondary beneficiary only by fiscal code). */
export function derivedIban(fiscalCode: string): string {
  return makeIban('IT', `X0306909606${fiscalCode.padStart(12, '0').slice(-12)}`);
}

/** A bank account of the EC when it has one (postal accounts are kept for Poste). */
export function preferBank(ibans: string[]): string {
  return ibans.find((i) => !isPostalIban(i)) ?? ibans[0]!;
}

/** The IBAN a transfer travels with: with transferType=POSTAL, the beneficiary's postal account if it has one. */
export function transferIban(ecs: Accounts, fiscalCodePA: string, stored: string, postal: boolean): string {
  if (!postal) return stored;
  return ecs.get(fiscalCodePA)?.ibans.find(isPostalIban) ?? stored;
}

/** allCCP: every transfer can be credited to a postal account (NM-PSPPAY-PAY-05). */
export function allPostal(ecs: Accounts, p: EcPosition): boolean {
  return p.transfers.every((t) => isPostalIban(t.iban) || !!ecs.get(t.fiscalCodePA)?.ibans.some(isPostalIban));
}

/** The same IBAN with wrong check digits (the bad-iban defect). */
export function wrongCheckDigits(iban: string): string {
  const check = (Number(iban.slice(2, 4)) + 1) % 100;
  return `${iban.slice(0, 2)}${String(check).padStart(2, '0')}${iban.slice(4)}`;
}

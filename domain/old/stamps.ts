// The digital revenue stamp (marca da bollo digitale, @e.bollo) an RPT may buy (catalogue OLD-EC-PAY-05,
// TR-36, V-11; seed L849-857, L1513-1523): what each tipoBollo costs and the document's digest.
import { createHash } from 'node:crypto';
import type { Cents } from '../common.js';
import type { DatiMarcaBolloDigitale } from './types.js';

export type TipoBollo = DatiMarcaBolloDigitale['tipoBollo'];

/**
 * The cost of each stamp type, which importoSingoloVersamento must match (L853). The seed says a cost
 * is associated with each type but gives none; the only type the XSD allows, 01 "Imposta di bollo",
 * is taken at the standard rate of the imposta di bollo on a document, 16.00 EUR (DPR 642/1972,
 * tariffa art. 2), the amount the new model's stamp position charges too.
 */
export const STAMP_COST_CENTS: Readonly<Record<TipoBollo, Cents>> = { '01': 1600 };

/** hashDocumento: the SHA-256 digest (32 octets) of the stamped document, in base64 (L854, TR-36). */
export function documentHash(document: string | Uint8Array): string {
  return createHash('sha256').update(document).digest('base64');
}

/** A hashDocumento that is the base64 of 32 octets (a SHA-256 digest), whatever document it is of. */
export function isSha256Base64(hash: string): boolean {
  return /^[A-Za-z0-9+/]{43}=$/.test(hash) && Buffer.from(hash, 'base64').length === 32;
}

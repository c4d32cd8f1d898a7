// The harness's own parties: the identities collaudo plays besides the candidate (its emulated PSP,
// Checkout, a secondary beneficiary EC, the emulated EC's spontaneous service). One place, so a
// seat, a suite, `serve` and the tests all name the same parties.
import { makeIban } from './common.js';

/** The emulated PSP the harness drives in the EC seat (identities valid for every schema). */
export const HARNESS_PSP = {
  idPSP: 'CLLDITMM001',
  idBrokerPSP: '99999000001',
  idChannel: '99999000001_01',
  password: 'collaudo_01',
  companyName: 'Collaudo Test PSP',
  fiscalCode: '99999000001',
  channelDescription: 'collaudo emulated PSP',
} as const;

/**
 * The emulated PSP's second old-model channel, of payment model 2 (authorisation managed by the PSP,
 * L1201, L1500-1502, L1525-1529): it takes the cart without a redirect and collects outside pagoPA.
 * It sells no digital stamps, so WISP leaves it out of a stamp cart (V-12, L857).
 */
export const HARNESS_PSP_AUTH_CHANNEL = { idChannel: '99999000001_02', description: 'collaudo emulated PSP, autorizzazione gestita dal PSP' } as const;

/** The emulated Checkout / App IO touchpoint activates with the candidate's idPSP on its own channel. */
export const CHECKOUT = { idBrokerPSP: '15376371009', idChannel: '15376371009_05', password: 'checkout_01', description: 'collaudo emulated Checkout' } as const;

/** A secondary beneficiary EC served by the emulated EC's station (multi-beneficiary notices). */
export const SECONDARY_EC = { fiscalCode: '88888888888', companyName: 'Provincia di Collaudo', ibans: [makeIban('IT', 'X0306909606100000099999')] };

/** The spontaneous service the emulated EC offers (car tax, reference EC catalogue). */
export const CAR_TAX_SERVICE = { idServizio: '00001', idSoggettoServizio: '00001', description: 'Tassa automobilistica', categoria: 'Tributi', xsdRiferimento: 'TassaAutomobilistica_1_1_0.xsd' };

/** The IBAN of an emulated or reference EC whose profile lists none. */
export const EMULATED_EC_IBAN = makeIban('IT', 'X0306909606100000012345');

// What the reference EC is configured with and what its parts see of it: the station's options,
// the ECs it serves, the platform it talks to, and the narrow view of the EC its front end uses
// (so that no part of the EC imports the class that assembles them).
import type { Clock } from '../../src/core/clock.js';
import type { Correlation, Journal } from '../../src/core/journal.js';
import type { Faults } from '../../src/core/faults.js';
import type { TlsServerOptions } from '../../src/wire/http.js';
import type { Archive } from './archive.js';
import type { EcDefect } from './defects.js';
import type { OldEcDefect } from './old/defects.js';
import type { PositionJson } from './position-json.js';
import type { ProvisionInput } from './provisioning.js';
import type { DemandService } from './services.js';

/** An EC served by the station besides the primary one (multi-EC broker, secondary beneficiaries). */
export interface ServedEc {
  fiscalCode: string;
  companyName: string;
  officeName?: string;
  /** registered (censiti) IBANs; postal accounts (ABI 07601) are used for transferType=POSTAL */
  ibans: string[];
}

/** Platform services the EC talks to (Checkout carts, GPD, ACA). */
export interface PlatformEndpoints { checkoutUrl?: string; gpdUrl?: string; acaUrl?: string }

export interface ReferenceEcOptions {
  clock: Clock;
  /** the primary EC's fiscal code (idPA it serves) */
  idPA: string;
  idBrokerPA: string;
  idStation: string;
  companyName: string;
  officeName?: string;
  /** segregation code (2 digits) of the station: notices are aux digit 3 */
  segregationCode: string;
  /** registered IBANs of the primary EC (valid ISO 13616; include a postal one, ABI 07601, for allCCP) */
  ibans: string[];
  /** defect switches of the new-model station (./defects.ts) and of the old-model one (./old/defects.ts) */
  defects?: (EcDefect | OldEcDefect)[];
  host?: string;
  port?: number;
  tls?: TlsServerOptions;
  /** other ECs served by the same station (they answer as idPA too, and may be secondary beneficiaries) */
  secondaryEcs?: ServedEc[];
  /** spontaneous services offered through paDemandPaymentNotice (default: ./services.ts catalogue) */
  services?: DemandService[];
  /** per-request journal / transport faults (passed through to startSoapServer) */
  journal?: (corr: Correlation) => Journal | undefined;
  faults?: (corr: Correlation) => Faults | undefined;
  maxBodyBytes?: number;
  /** server name in the journal (default `ec:<idStation>`) */
  name?: string;
  /** platform services the EC talks to (Checkout carts, GPD, ACA): front end, async/sync-pa modes */
  platform?: PlatformEndpoints;
  /** old model: the Nodo's NodoPerPa URL and the station's password (also settable with useNodo) */
  nodo?: { url: string; password: string };
  /** old model: a charge-back revoca (tipoRevoca 2) is accepted (default) or refused on the merits with a negative ER */
  chargeBack?: 'accept' | 'refuse';
}

/** What the EC's front end uses of the EC: its options, positions and address. */
export interface EcPositions {
  readonly opts: ReferenceEcOptions;
  readonly archive: Archive;
  readonly fiscalCode: string;
  readonly servedEcs: ServedEc[];
  readonly baseUrl: string;
  provision(input: ProvisionInput): PositionJson;
}

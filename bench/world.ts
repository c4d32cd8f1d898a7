// The parties of the bench: the reference EC and the reference Nodo on real loopback sockets, and
// the emulated PSP, wired like the EC seat does (seats/ec.ts): the PSP journals its own calls,
// the Nodo journals its calls to the EC, XSD validation of every message at every boundary.
import type { Clock } from '../src/core/clock.js';
import { Journal } from '../src/core/journal.js';
import type { Faults } from '../src/core/faults.js';
import { Registry, harnessPspEntries } from '../domain/registry.js';
import { ReferenceNodo, type ReferenceNodoConfig } from '../actors/nodo/index.js';
import { EmulatedPsp } from '../actors/psp/client.js';
import { ReferenceEc } from '../candidates/ec/index.js';

/** Same identities as fixtures/profiles/reference-ec.yaml. */
export const EC_IDS = {
  idPA: '77777777777',
  idBrokerPA: '15376371009',
  idStation: '15376371009_01',
  companyName: 'Comune di Collaudo',
  segregationCode: '01',
  ibans: ['IT60X0542811101000000123456', 'IT75A0306909606100000063011'],
} as const;

export function registryFor(stationUrl: string): Registry {
  return {
    ecs: [
      {
        fiscalCode: EC_IDS.idPA,
        companyName: EC_IDS.companyName,
        enabled: true,
        ibans: [...EC_IDS.ibans],
        stations: [{ idStation: EC_IDS.idStation, auxDigit: 3, code: EC_IDS.segregationCode }],
      },
    ],
    brokersPa: [{ idBrokerPA: EC_IDS.idBrokerPA, enabled: true }],
    stations: [{ idStation: EC_IDS.idStation, idBrokerPA: EC_IDS.idBrokerPA, enabled: true, serviceActive: true, url: stationUrl, version: 1 }],
    ...harnessPspEntries(),
  };
}

export interface World {
  clock: Clock;
  ec: ReferenceEc;
  nodo: ReferenceNodo;
  psp: EmulatedPsp;
  /** the journal currently in use; replace it (newJournal) between phases to free memory */
  journal(): Journal;
  newJournal(): Journal;
  stop(): Promise<void>;
}

export async function startWorld(
  clock: Clock,
  opts: { faults?: Faults; nodo?: Partial<ReferenceNodoConfig>; stationUrl?: string } = {},
): Promise<World> {
  let journal = new Journal(clock);
  const ec = new ReferenceEc({ clock, host: '127.0.0.1', port: 0, ...EC_IDS, ibans: [...EC_IDS.ibans] });
  const started: { stop(): Promise<void> }[] = [];
  try {
    const { url: ecUrl } = await ec.start();
    started.push(ec);
    const nodo = new ReferenceNodo({
      clock,
      registry: registryFor(opts.stationUrl ?? ecUrl),
      journal: () => journal,
      faults: opts.faults ? () => opts.faults : undefined,
      journalInbound: false,
      host: '127.0.0.1',
      port: 0,
      ...opts.nodo,
    });
    const { url: nodoUrl } = await nodo.start();
    started.push(nodo);
    const psp = new EmulatedPsp({ nodoUrl, clock, journal: () => journal });
    return {
      clock,
      ec,
      nodo,
      psp,
      journal: () => journal,
      newJournal: () => (journal = new Journal(clock)),
      stop: async () => {
        await nodo.stop();
        await ec.stop();
      },
    };
  } catch (e) {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    throw e;
  }
}

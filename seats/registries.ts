// The platform's configuration (domain/registry.ts) the reference Nodo runs with in each seat: the
// candidate's identities from the profile plus the harness's own parties (domain/harness-parties.ts).
import type { LoadedProfile, Profile } from '../src/profile/index.js';
import type { TlsClientOptions } from '../src/wire/http.js';
import { type PspIds, type Registry, harnessPspEntries } from '../domain/registry.js';
import { CHECKOUT, HARNESS_PSP, HARNESS_PSP_AUTH_CHANNEL, SECONDARY_EC } from '../domain/harness-parties.js';
import { derivedIban } from '../candidates/ec/index.js';

/**
 * EC seat: the candidate station (at `stationUrl`, primitives of `version`) serving the profile's EC and
 * its secondary ECs (multi-beneficiary receipts, NM-MB-PAY-01), and the harness's emulated PSP.
 */
export function ecSeatRegistry(p: Profile, o: { stationUrl: string; version: 1 | 2; embedded: boolean; tls?: TlsClientOptions }): Registry {
  const link = { idStation: p.ec.idStation, auxDigit: p.ec.auxDigit, code: p.ec.auxDigit === 3 ? p.ec.segregationCode : p.ec.auxDigit === 0 ? p.ec.applicationCode : undefined };
  return {
    ecs: [
      { fiscalCode: p.ec.idPA, companyName: p.ec.companyName ?? p.name, enabled: true, ibans: p.ec.ibans ?? [], stations: [link] },
      // secondary ECs served by the same station
      ...(p.ec.secondaryEcs ?? []).map((fc) => ({
        fiscalCode: fc,
        companyName: `Ente beneficiario ${fc}`,
        enabled: true,
        ibans: o.embedded ? [derivedIban(fc)] : [],
        stations: [{ ...link }],
      })),
    ],
    brokersPa: [{ idBrokerPA: p.ec.idBrokerPA, enabled: true }],
    stations: [{ idStation: p.ec.idStation, idBrokerPA: p.ec.idBrokerPA, enabled: true, serviceActive: true, url: o.stationUrl, version: o.version, headers: p.endpoint.headers, tls: o.tls }],
    ...harnessPspEntries(),
  };
}

/**
 * EC seat, old model: the candidate station with its old-model endpoints, password and return URL
 * (the new model's entry with the old part added, with the Catalogo dei Servizi it publishes), and the harness's emulated PSP on its channel,
 * which the Nodo reaches once the PSP listens (pspPerNodoUrl, redirectUrl filled in by the seat).
 */
export function oldEcSeatRegistry(
  p: Profile,
  o: { station: { password: string; paPerNodo: string; paPerNodoPagamentoPsp: string; paPerNodoRichiestaAvvisi?: string; returnUrl: string }; tls?: TlsClientOptions },
): Registry {
  const reg = ecSeatRegistry(p, { stationUrl: o.station.paPerNodo, version: 1, embedded: false, tls: o.tls });
  const s = reg.stations[0]!;
  s.password = o.station.password;
  s.old = { paPerNodo: o.station.paPerNodo, paPerNodoPagamentoPsp: o.station.paPerNodoPagamentoPsp, paPerNodoRichiestaAvvisi: o.station.paPerNodoRichiestaAvvisi, returnUrl: o.station.returnUrl };
  // the Catalogo dei Servizi: the spontaneous services the profile declares, offered by the station's EC
  s.old.services = (p.old?.spontaneous?.services ?? []).map((x) => ({ idServizio: x.idServizio, idDominio: p.ec.idPA, descrizione: x.descrizione }));
  // the harness's PSP also has a channel of payment model 2 (authorisation managed by the PSP, L1201)
  reg.channels.push({ ...reg.channels.find((c) => c.idChannel === HARNESS_PSP.idChannel)!, idChannel: HARNESS_PSP_AUTH_CHANNEL.idChannel, description: HARNESS_PSP_AUTH_CHANNEL.description, modelloPagamento: 2 });
  // the harness's PSP accepts storno requests (V-28): an EC's storno reaches it
  for (const c of reg.channels) c.storno = true;
  // its first channel sells digital stamps, the model-2 one does not, so WISP's stamp filter shows (V-12, L857)
  for (const c of reg.channels) if (c.idChannel === HARNESS_PSP.idChannel) c.marcaBolloDigitale = true;
  return reg;
}

/**
 * PSP seat: the emulated EC (at `ecUrl`) and the secondary EC on its station; the candidate PSP on its
 * channel, the harness's own PSP, and the emulated Checkout channel that activates with the candidate's idPSP.
 */
export function pspSeatRegistry(loaded: LoadedProfile, candidate: PspIds, ecUrl: string): Registry {
  const p = loaded.profile;
  const ecId = p.ec;
  const station = { idStation: ecId.idStation, auxDigit: 3 as const, code: ecId.segregationCode ?? '01' };
  return {
    ecs: [
      { fiscalCode: ecId.idPA, companyName: ecId.companyName ?? 'Comune di Collaudo', enabled: true, ibans: ecId.ibans ?? [], stations: [station] },
      { fiscalCode: SECONDARY_EC.fiscalCode, companyName: SECONDARY_EC.companyName, enabled: true, ibans: SECONDARY_EC.ibans, stations: [station] },
    ],
    brokersPa: [{ idBrokerPA: ecId.idBrokerPA, enabled: true }],
    stations: [{ idStation: ecId.idStation, idBrokerPA: ecId.idBrokerPA, enabled: true, serviceActive: true, url: ecUrl, version: (ecId.stationVersion ?? 1) as 1 | 2 }],
    psps: [
      { idPSP: candidate.idPSP, enabled: true, companyName: p.psp!.companyName ?? p.name.slice(0, 140), fiscalCode: p.psp!.fiscalCode ?? candidate.idBrokerPSP },
      { idPSP: HARNESS_PSP.idPSP, enabled: true, companyName: HARNESS_PSP.companyName, fiscalCode: HARNESS_PSP.fiscalCode },
    ],
    brokersPsp: [
      { idBrokerPSP: candidate.idBrokerPSP, enabled: true },
      { idBrokerPSP: HARNESS_PSP.idBrokerPSP, enabled: true },
      ...(candidate.idBrokerPSP === CHECKOUT.idBrokerPSP ? [] : [{ idBrokerPSP: CHECKOUT.idBrokerPSP, enabled: true }]),
    ],
    channels: [
      { idChannel: candidate.idChannel, idBrokerPSP: candidate.idBrokerPSP, password: candidate.password, enabled: true, description: `${p.name}`.slice(0, 70), psps: [candidate.idPSP] },
      { idChannel: HARNESS_PSP.idChannel, idBrokerPSP: HARNESS_PSP.idBrokerPSP, password: HARNESS_PSP.password, enabled: true, description: HARNESS_PSP.channelDescription, psps: [HARNESS_PSP.idPSP] },
      { idChannel: CHECKOUT.idChannel, idBrokerPSP: CHECKOUT.idBrokerPSP, password: CHECKOUT.password, enabled: true, description: CHECKOUT.description, psps: [candidate.idPSP] },
    ],
  };
}

// `collaudo serve`: reference parts as standalone servers on real time, for a user's own environment.
// Default: the reference Nodo and the reference EC (e.g. to point a PSP or a SOAP client at them by
// hand). --psp: the reference PSP as an external candidate; --psp-counterpart: the PSP seat's
// counterpart for a PSP vendor (./serve-psp.ts).
import { RealClock } from '../src/core/clock.js';
import { DEFAULT_SUMMARY_MS } from './serve-journal.js';
import { loadProfile } from '../src/profile/index.js';
import { harnessPspEntries } from '../domain/registry.js';
import { HARNESS_PSP } from '../domain/harness-parties.js';
import { REFERENCE_EC_PROFILE, secondaryEcsOf } from '../seats/ec.js';
import { ReferenceNodo } from '../actors/nodo/index.js';
import { ReferenceEc, isEcDefect, isOldEcDefect, EC_DEFECT_IDS, OLD_EC_DEFECT_IDS } from '../candidates/ec/index.js';
import { UsageError } from './errors.js';
import { servePsp, servePspCounterpart, untilSignal } from './serve-psp.js';
import { listenOrUsage, sessionJournal } from './serve-shared.js';

export interface ServeOptions {
  host: string;
  nodoPort: number;
  ecPort: number;
  ecDefect?: string;
  /** the NodoPerPa URL the reference EC's old-model station calls (a harness's old-model Nodo) */
  oldNodoUrl?: string;
  /** play the reference PSP (external candidate) instead */
  psp?: boolean;
  pspPort?: number;
  pspDefect?: string;
  /** with psp: the old-model channel's RT mode (default: the profile's old.psp.rtMode, else push) */
  pspRtMode?: string;
  nodoUrl?: string;
  /** with psp: the FdR 3 PSP API base the reference PSP reports to */
  fdrUrl?: string;
  /** play the PSP seat's counterpart for the PSP of this profile instead */
  pspCounterpart?: boolean;
  controlPort?: number;
  profile?: string;
  /** one stderr line per message instead of a summary line per interval */
  verbose?: boolean;
  /** journal entries kept in memory (a ring; default DEFAULT_JOURNAL_SIZE) */
  journalSize?: number;
  /** summary interval in ms (default DEFAULT_SUMMARY_MS) */
  summaryMs?: number;
}

/** A listen port given on the command line: an integer 0..65535, else a usage error (exit 2). */
export function portOption(name: string, v: number | string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535 || (typeof v === 'string' && !/^\d+$/.test(v.trim()))) {
    throw Object.assign(new UsageError(`${name} ${v}: not a port (an integer from 0 to 65535)`), { exitNow: true });
  }
  return n;
}

export async function serve(o: ServeOptions): Promise<void> {
  portOption('--nodo-port', o.nodoPort);
  portOption('--ec-port', o.ecPort);
  portOption('--psp-port', o.pspPort);
  portOption('--control-port', o.controlPort);
  if (o.psp && o.pspCounterpart) throw new UsageError('--psp and --psp-counterpart exclude each other: start two `collaudo serve` processes');
  if (o.psp) return servePsp({ host: o.host, port: o.pspPort ?? 17072, nodoUrl: o.nodoUrl, fdrUrl: o.fdrUrl, profile: o.profile, defect: o.pspDefect, rtMode: o.pspRtMode });
  if (o.pspCounterpart) {
    if (!o.profile) throw new UsageError('--psp-counterpart needs --profile <the PSP-seat profile of the PSP under test>');
    return servePspCounterpart({ profile: o.profile, controlPort: o.controlPort ?? 17073, verbose: o.verbose, journalSize: o.journalSize, summaryMs: o.summaryMs });
  }
  return serveEcSeat(o);
}

async function serveEcSeat(o: ServeOptions): Promise<void> {
  if (o.ecDefect && !isEcDefect(o.ecDefect) && !isOldEcDefect(o.ecDefect)) throw new UsageError(`--ec-defect ${o.ecDefect}: unknown defect (known: ${[...EC_DEFECT_IDS, ...OLD_EC_DEFECT_IDS].join(', ')})`);
  const p = loadProfile(REFERENCE_EC_PROFILE).profile;
  const clock = new RealClock();
  const ibans = p.ec.ibans ?? [];
  const ec = new ReferenceEc({
    clock, host: o.host, port: o.ecPort, idPA: p.ec.idPA, idBrokerPA: p.ec.idBrokerPA, idStation: p.ec.idStation,
    companyName: p.ec.companyName ?? 'Reference EC', segregationCode: p.ec.segregationCode ?? '01', ibans,
    // the other ECs of the station, as in the EC seat (an old-model multi-beneficiary cart names them)
    secondaryEcs: secondaryEcsOf(p),
    defects: o.ecDefect ? [o.ecDefect as never] : [],
  });
  const { url: ecUrl } = await listenOrUsage(`reference EC on ${o.host}:${o.ecPort}`, () => ec.start(), []);
  // the old-model station calls the harness's Nodo with the password the reference profile gives it
  const oldPassword = p.old?.password;
  if (o.oldNodoUrl) {
    if (!/^https?:\/\//.test(o.oldNodoUrl)) throw Object.assign(new UsageError(`--old-nodo-url ${o.oldNodoUrl}: not an http(s) URL`), { exitNow: true });
    if (!oldPassword) throw new Error(`${REFERENCE_EC_PROFILE} gives the old-model station no password (old.password)`);
    ec.useNodo({ url: o.oldNodoUrl, password: oldPassword });
  }
  // one bounded journal for the whole session; a summary line per interval on stderr
  const journal = sessionJournal(clock, o);
  const nodo = new ReferenceNodo({
    clock, host: o.host, port: o.nodoPort, journal: () => journal,
    registry: {
      ecs: [{ fiscalCode: p.ec.idPA, companyName: p.ec.companyName ?? p.name, enabled: true, ibans, stations: [{ idStation: p.ec.idStation, auxDigit: 3, code: p.ec.segregationCode }] }],
      brokersPa: [{ idBrokerPA: p.ec.idBrokerPA, enabled: true }],
      stations: [{ idStation: p.ec.idStation, idBrokerPA: p.ec.idBrokerPA, enabled: true, serviceActive: true, url: ecUrl, version: p.ec.stationVersion ?? 1 }],
      ...harnessPspEntries(),
    },
  });
  const { url: nodoUrl } = await listenOrUsage(`reference Nodo on ${o.host}:${o.nodoPort}`, () => nodo.start(), [() => ec.stop()]);
  process.stderr.write(
    [
      `reference Nodo (nodeForPsp): ${nodoUrl}   WSDL: ${nodoUrl}/?wsdl`,
      `  PSP identities: idPSP ${HARNESS_PSP.idPSP}, idBrokerPSP ${HARNESS_PSP.idBrokerPSP}, idChannel ${HARNESS_PSP.idChannel}, password ${HARNESS_PSP.password}`,
      `reference EC (paForNode):   ${ecUrl}   WSDL: ${ecUrl}?wsdl${o.ecDefect ? `   defect: ${o.ecDefect}` : ''}`,
      `  EC ${p.ec.idPA}, broker ${p.ec.idBrokerPA}, station ${p.ec.idStation}; create positions: POST ${new URL('/provisioning/positions', ecUrl)}`,
      `reference EC, old model:    PaPerNodo ${ec.oldUrls.paPerNodo}   PaPerNodoPagamentoPsp ${ec.oldUrls.paPerNodoPagamentoPsp}   return page ${ec.oldUrls.returnUrl}   trigger ${ec.baseUrl}/collaudo/trigger   PaPerNodoRichiestaAvvisi ${ec.oldUrls.paPerNodoRichiestaAvvisi}`,
      `  ${o.oldNodoUrl ? `it calls NodoPerPa at ${o.oldNodoUrl} with password ${oldPassword}` : 'it calls no Nodo (--old-nodo-url names one)'}`,
      `journal: the last ${journal.size} entries in memory; ${o.verbose ? 'one line per message' : `a summary line every ${(o.summaryMs ?? DEFAULT_SUMMARY_MS) / 1000} s (--verbose: one line per message)`}`,
      'Ctrl-C to stop.',
    ].join('\n') + '\n',
  );
  await untilSignal();
  journal.close();
  await nodo.stop();
  await ec.stop();
}

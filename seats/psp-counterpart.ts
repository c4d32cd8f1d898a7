// The PSP seat's counterpart: the reference Nodo (where the profile's `harness.listen` says) with
// the candidate PSP registered, the emulated EC behind it (the Nodo's station), the report inbox and
// the trigger transport towards the PSP. The seat's environment (./psp.ts) routes its traffic to
// scenarios; `collaudo serve --psp-counterpart` runs it standalone for a PSP vendor.
import type { Clock } from '../src/core/clock.js';
import type { Correlation, Journal } from '../src/core/journal.js';
import type { Faults } from '../src/core/faults.js';
import type { Ledger } from '../src/core/ledger.js';
import { LoadedProfile, readProfileFile } from '../src/profile/index.js';
import { pspSeatRegistry } from './registries.js';
import { CAR_TAX_SERVICE, EMULATED_EC_IBAN, SECONDARY_EC } from '../domain/harness-parties.js';
import { NODO_TO_PSP_MS } from '../domain/timeouts.js';
import type { PspIds } from '../domain/registry.js';
import { ReferenceNodo, type NodoService } from '../actors/nodo/index.js';
import { ReferenceEc } from '../candidates/ec/index.js';
import { ReportInbox } from '../src/triggers/index.js';
import type { Intercept } from './psp-routing.js';
import type { El } from '../src/wire/xml.js';
import type { FlowStore } from '../actors/nodo/fdr/store.js';
import type { Registry } from '../domain/registry.js';
import type http from 'node:http';
import { type RunningServer, listen as listenOn } from '../src/wire/http-common.js';

export const DEFAULT_PSP_TIMEOUTS = { pspNotifyPayment: NODO_TO_PSP_MS };

export interface CounterpartRouting {
  journal(c: Correlation): Journal | undefined;
  faults?(c: Correlation): Faults | undefined;
  intercept?(op: string, c: Correlation, body: El): Intercept | undefined;
  /** where the Nodo records the receipts it settles (the run's ledger) */
  ledger?: Ledger;
  /** the run's published flows (shared with the FdR 3 server, ./psp-fdr.ts) */
  flows?: FlowStore;
}

export interface PspCounterpart {
  ec: ReferenceEc;
  ecUrl: string;
  nodo: ReferenceNodo;
  /** nodeForPsp URL the candidate calls */
  nodoUrl: string;
  inbox: ReportInbox;
  candidate: PspIds;
  timeouts: typeof DEFAULT_PSP_TIMEOUTS;
  /** the Nodo's configuration (the FdR 3 server checks callers against it too) */
  registry: Registry;
  stop(): Promise<void>;
}

export function candidateOf(loaded: LoadedProfile): PspIds {
  const p = loaded.profile;
  if (p.seat !== 'psp' || !p.psp || !p.harness?.listen || !p.trigger) throw new Error(`profile ${loaded.file} is not a PSP-seat profile (seat: ${p.seat})`);
  return { idPSP: p.psp.idPSP, idBrokerPSP: p.psp.idBrokerPSP, idChannel: p.psp.idChannel, password: p.psp.password };
}

/**
 * `beside`: another Nodo on the same listener (the old model's NodoPerPsp, NodoPerPa and WISP for
 * `collaudo serve --psp-counterpart`), given the listener's base URL: every path but /nodeForPsp is its.
 */
export async function startPspCounterpart(loaded: LoadedProfile, clock: Clock, routing: CounterpartRouting, beside?: (base: string, ec: ReferenceEc) => http.RequestListener): Promise<PspCounterpart> {
  const p = loaded.profile;
  const candidate = candidateOf(loaded);
  const ecId = p.ec;
  const ec = new ReferenceEc({
    clock,
    idPA: ecId.idPA,
    idBrokerPA: ecId.idBrokerPA,
    idStation: ecId.idStation,
    companyName: ecId.companyName ?? 'Comune di Collaudo',
    segregationCode: ecId.segregationCode ?? '01',
    ibans: ecId.ibans?.length ? ecId.ibans : [EMULATED_EC_IBAN],
    secondaryEcs: [SECONDARY_EC],
  });
  const { url: ecUrl } = await ec.start();

  const timeouts = { ...DEFAULT_PSP_TIMEOUTS, ...(p.timeouts?.pspNotifyPayment ? { pspNotifyPayment: p.timeouts.pspNotifyPayment } : {}) };
  // the Nodo's waits for the EC in force (profile timeouts, NM-TR-05)
  const { paVerifyPaymentNotice, paGetPayment, paSendRT, paDemandPaymentNotice } = p.timeouts ?? {};
  const nodoTimeouts = Object.fromEntries(Object.entries({ paVerifyPaymentNotice, paGetPayment, paSendRT, paDemandPaymentNotice }).filter(([, v]) => v !== undefined));
  const registry = pspSeatRegistry(loaded, candidate, ecUrl);
  const services: NodoService[] = [{ ...CAR_TAX_SERVICE, fiscalCode: ecId.idPA, idStation: ecId.idStation }];
  const listen = p.harness!.listen!;
  const nodo = new ReferenceNodo({
    clock,
    registry,
    host: listen.host ?? '127.0.0.1',
    port: listen.port,
    tls: listen.tls ? { cert: readProfileFile(loaded, listen.tls.cert)!, key: readProfileFile(loaded, listen.tls.key)!, ca: readProfileFile(loaded, listen.tls.ca), requestCert: listen.tls.requestCert } : undefined,
    journal: (c) => routing.journal(c),
    faults: routing.faults ? (c) => routing.faults!(c) : undefined,
    intercept: routing.intercept
      ? (op, body, c, proceed) => {
          const i = routing.intercept!(op, c, body);
          return i ? i(op, body, proceed) : proceed();
        }
      : undefined,
    timeouts: nodoTimeouts,
    services,
    journalInbound: true,
    ledger: routing.ledger,
    ...(routing.flows ? { flows: routing.flows } : {}),
  });
  let nodoUrl: string;
  let shared: RunningServer | undefined;
  try {
    if (beside) {
      let route: http.RequestListener | undefined;
      const tls = listen.tls ? { cert: readProfileFile(loaded, listen.tls.cert)!, key: readProfileFile(loaded, listen.tls.key)!, ca: readProfileFile(loaded, listen.tls.ca), requestCert: listen.tls.requestCert } : undefined;
      shared = await listenOn({ host: listen.host ?? '127.0.0.1', port: listen.port, tls }, (req, res) => route!(req, res));
      const [ours, other] = [nodo.listener(shared.url), beside(shared.url, ec)];
      const isOurs = (url = '') => /^\/nodeForPsp(\/|$)/.test(url.split(/[?#]/, 1)[0]!);
      route = (req, res) => (isOurs(req.url) ? ours(req, res) : other(req, res));
      nodoUrl = nodo.url;
    } else ({ url: nodoUrl } = await nodo.start());
  } catch (e) {
    await shared?.close();
    await ec.stop();
    throw new Error(`the harness's Nodo cannot listen on ${listen.host ?? '127.0.0.1'}:${listen.port}: ${(e as Error).message}`);
  }
  const inbox = new ReportInbox();
  try {
    await inbox.start(listen.host ?? '127.0.0.1', listen.reportPort ?? 0);
  } catch (e) {
    await nodo.stop();
    await shared?.close();
    await ec.stop();
    throw new Error(`the harness's report endpoint cannot listen on ${listen.host ?? '127.0.0.1'}:${listen.reportPort}: ${(e as Error).message}`);
  }
  return {
    ec,
    ecUrl,
    nodo,
    nodoUrl,
    inbox,
    candidate,
    timeouts,
    registry,
    async stop() {
      await inbox.close();
      await nodo.stop();
      await shared?.close();
      await ec.stop();
    },
  };
}

// The reference EC's old-model (SANP 2.2.6) station, mounted on the reference EC's one HTTP server:
// /PaPerNodo, /PaPerNodoPagamentoPsp and /PaPerNodoRichiestaAvvisi (./endpoint.ts, ./avvisi.ts), the portal and its return page
// (./portal.ts), the old-* trigger actions (./triggers.ts) and the calls to the Nodo's NodoPerPa
// (./payments.ts, ./nodo-client.ts), over the APA (./archive.ts) and the defect switches (./defects.ts).
import type { Correlation, Journal } from '../../../src/core/journal.js';
import type { Faults } from '../../../src/core/faults.js';
import type { IncomingSoap, OutgoingSoap } from '../../../src/wire/http.js';
import type { Answer, RequestMessage } from '../../../src/wire/soap-endpoint.js';
import type { EcPositions } from '../options.js';
import { OldArchive } from './archive.js';
import type { OldEcDefect } from './defects.js';
import { OLD_PATHS, serveOldStation } from './endpoint.js';
import { type NodoLink, NodoClient } from './nodo-client.js';
import { OldPayments } from './payments.js';
import { PAY_PATH, PORTAL_PATH, RETURN_PATH, RT_COPY_PATH, STATUS_PATH, page, payForm, portalPage, returnPage, rtCopy, statusPage } from './portal.js';
import { paaAttivaRPT, paaVerificaRPT } from './psp-endpoint.js';
import { paaChiediNumeroAvviso } from './avvisi.js';
import type { DemandService } from '../services.js';
import { paaInviaEsitoStorno, paaInviaRichiestaRevoca } from './revoca.js';
import { paaInviaRT } from './rt-endpoint.js';
import { OldStation } from './station.js';
import { OldTriggers } from './triggers.js';

export { OLD_EC_DEFECTS, OLD_EC_DEFECT_IDS, isOldEcDefect } from './defects.js';
export type { OldEcDefect, OldEcDefectInfo } from './defects.js';
export { OLD_TRIGGER_ACTIONS, isOldTriggerAction } from './triggers.js';
export type { OldTriggerAction, OldTriggerLog } from './triggers.js';
export type { NodoLink } from './nodo-client.js';
export { OldArchive, apaState } from './archive.js';
export type { Attempt, Cart, Revoca, ApaState } from './archive.js';
export { PA_PER_NODO_PATH, PA_PER_NODO_PAGAMENTO_PSP_PATH, PA_PER_NODO_RICHIESTA_AVVISI_PATH } from './endpoint.js';
export { PORTAL_PATH, PAY_PATH, RETURN_PATH, STATUS_PATH, RT_COPY_PATH } from './portal.js';
export { LATE_RPT_MS, WISP_IDS, type PspIds, type CartResult } from './payments.js';

export interface OldEcOptions {
  /** how the EC answers a charge-back revoca (tipoRevoca 2): accept (positive ER) or refuse on the merits (negative ER, OLD-REV-CB-02) */
  chargeBack?: 'accept' | 'refuse';
  /** the services it offers for spontaneous payments at the PSP (paaChiediNumeroAvviso): the EC's one catalogue */
  services?: readonly DemandService[];
  journal?: (c: Correlation) => Journal | undefined;
  faults?: (c: Correlation) => Faults | undefined;
  name: string;
}

export class OldEc {
  readonly apa: OldArchive;
  readonly station: OldStation;
  readonly payments: OldPayments;
  readonly triggers: OldTriggers;
  private readonly nodo: NodoClient;
  private readonly acting = new Set<Promise<unknown>>();

  constructor(
    ec: EcPositions,
    defects: ReadonlySet<OldEcDefect>,
    private readonly o: OldEcOptions,
  ) {
    this.apa = new OldArchive(ec.archive);
    this.station = new OldStation(ec, defects, this.apa);
    this.nodo = new NodoClient({ idBrokerPA: ec.opts.idBrokerPA, idStation: ec.opts.idStation, name: o.name }, { clock: ec.opts.clock, journal: o.journal, faults: o.faults });
    this.payments = new OldPayments(this.station, this.nodo);
    this.triggers = new OldTriggers(this.payments, () => ec.opts.clock.now(), (p) => this.track(p), () => ec.servedEcs.map((e) => e.fiscalCode));
  }

  /** The Nodo the station calls (NodoPerPa URL) and the password the Nodo gave the station. */
  useNodo(link: NodoLink): void {
    if (!/^https?:\/\//.test(link.url)) throw new Error(`useNodo: url must be an http(s) URL, got "${link.url}"`);
    if (link.password.length < 8 || link.password.length > 15) throw new Error('useNodo: the station password is 8..15 characters (TR-31)');
    this.nodo.link = { ...link };
  }
  get nodoLink(): NodoLink | undefined {
    return this.nodo.link;
  }

  /** How it answers the charge-back revoche that come from now on (a harness playing an EC that refuses on the merits, OLD-REV-CB-02). */
  answerChargeBack(answer: 'accept' | 'refuse'): void {
    this.o.chargeBack = answer;
  }

  private track(p: Promise<unknown>): void {
    const q = p.catch(() => undefined).finally(() => this.acting.delete(q));
    this.acting.add(q);
  }

  /** Resolves when everything the station started afterwards (RPTs, ERs, trigger actions) is over. */
  async idle(): Promise<void> {
    while (this.acting.size) await Promise.all([...this.acting]);
  }

  /** POSTs the station serves: its two SOAP endpoints and the portal form; undefined for other paths. */
  async handlePost(req: IncomingSoap): Promise<OutgoingSoap | undefined> {
    const p = req.path.split('?', 1)[0]!.replace(/\/+$/, '');
    if (OLD_PATHS.some((x) => p.endsWith(x))) return serveOldStation(this.station, req, (m) => this.dispatch(m));
    if (p === PAY_PATH) return payForm(this.station, this.payments, req.raw);
    return undefined;
  }

  /** The hook's answer when the request is an old-* action; undefined otherwise. */
  trigger(body: unknown): { status: number; type: string; body: string } | undefined {
    return this.triggers.handle(body);
  }

  /** GETs the station serves: the portal, its return page, a position's state and its RT copies. */
  handleGet(path: string, query: string): { status: number; type: string; body: string; headers?: Record<string, string> } | undefined {
    if (path === PORTAL_PATH) return portalPage(this.station);
    if (path === STATUS_PATH) return statusPage(this.station, query);
    if (path === RT_COPY_PATH) return rtCopy(this.station, query);
    if (path === RETURN_PATH) {
      try {
        return returnPage(this.station, query);
      } catch (e) {
        return page(400, 'Richiesta non valida', `<p>${String((e as Error).message).replace(/</g, '&lt;')}</p>`);
      }
    }
    return undefined;
  }

  private dispatch(m: RequestMessage): Answer {
    const st = this.station;
    switch (m.op.name) {
      case 'paaVerificaRPT':
        return paaVerificaRPT(st, m);
      case 'paaAttivaRPT':
        return paaAttivaRPT(st, m, (a) => this.payments.afterActivation(a, (p) => this.track(p)));
      case 'paaInviaRT':
        return paaInviaRT(st, m);
      case 'paaInviaRichiestaRevoca':
        return paaInviaRichiestaRevoca(st, m, (a, r) => this.payments.afterRevoca(a, r, (p) => this.track(p)), this.o.chargeBack ?? 'accept');
      case 'paaInviaEsitoStorno':
        return paaInviaEsitoStorno(st, m);
      case 'paaChiediNumeroAvviso':
        return paaChiediNumeroAvviso(st, m, this.o.services ?? []);
      default:
        throw new Error(`operation ${m.op.name} is not served by the old-model station`);
    }
  }
}

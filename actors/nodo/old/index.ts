// The reference Nodo dei Pagamenti, old model (SANP 2.2.6), as the EC's counterpart: NodoPerPa for
// EC stations, NodoPerPsp for PSPs, the WISP pages, one HTTP server; it calls the stations'
// PaPerNodo / PaPerNodoPagamentoPsp and the PSPs' PspPerNodo. Its records (RPTs, carts, RTs,
// activations) outlive a scenario: one instance per seat environment; a scenario binds its journal
// and faults with `bind`, and an exchange with nothing bound goes to the `unattributed` journal.
// This file is the front: lifecycle, the server, the public API; each flow lives in its own file.
import type { RequestListener } from 'node:http';
import path from 'node:path';
import type { Clock } from '../../../src/core/clock.js';
import { type Correlation, Journal } from '../../../src/core/journal.js';
import type { Faults } from '../../../src/core/faults.js';
import { OLD_DEFAULT_TIMEOUTS, OLD_RPT_AFTER_ACTIVATION_MS, OLD_RT_RETRY_WAITS_MS, type OldNodoTimeouts } from '../../../domain/timeouts.js';
import { type CallResult, type IncomingSoap, type OutgoingSoap, type RunningServer, soapRequestListener } from '../../../src/wire/http.js';
import { listen } from '../../../src/wire/http-common.js';
import { packsAt, servedSchema } from '../../../src/wire/contract.js';
import { encodeEnvelope } from '../../../src/wire/soap.js';
import { serveSoap } from '../../../src/wire/soap-endpoint.js';
import type { NodeObj } from '../../../src/wire/xml.js';
import { correlationOf, decodeEnvelope, nodoPerPa, nodoPerPsp, nodoPerPspRichiestaAvvisi } from '../../../interfaces/index.js';
import { OldCalls, oldOp } from './calls.js';
import { type OldNodoConfig, type OldNodoDefect, VIRTUAL_SEND_REAL_MS } from './config.js';
import { type OldCtx, rtStationOf } from './context.js';
import { readRtView, toBase64 } from './docs.js';
import { OLD_SERVED, dispatch } from './dispatch.js';
import { oldFault } from './faults.js';
import { settleDelivery } from './psp.js';
import { RtDeliveries, type RtDelivery } from './rt-delivery.js';
import { RtPushes, type RtKeys } from './push-script.js';
import { RtPull } from './pull.js';
import { type AvanzamentoRpt, chiediAvanzamentoRPT } from './psp-queries.js';
import { type Activation, type Cart, OldStore, type RptRecord, rptKey } from './store.js';
import { WISP_PATH, WISP_RETURN_PATH, isWispPath, wispListener } from './wisp.js';
import { FlowStore } from '../fdr/store.js';
import { FLOW_MAX_BODY_BYTES, SoapFlows } from '../fdr/soap-flows.js';
import { FlowUploads } from '../fdr/upload-script.js';

/** What the Nodo serves on its one SOAP server. */
const SERVED_PACKS = [nodoPerPa, nodoPerPsp, nodoPerPspRichiestaAvvisi];

export interface OldNodoUrls {
  base: string;
  nodoPerPa: string;
  nodoPerPsp: string;
  /** the PSPs' interface for spontaneous payments (catalogue, notice for a service) */
  nodoPerPspRichiestaAvvisi: string;
  /** WISP's page (+ ?idSession=…) */
  wisp: string;
  /** where a PSP's page sends the payer back (+ identificativoCarrello=…&esito=…) */
  wispReturn: string;
}

export class OldNodo {
  /** exchanges that happened while no scenario was bound (never lost) */
  readonly unattributed: Journal;
  /** scripted answers to a PSP's nodoInviaRT and the record of its pushes (issue 11 item 3; push-script.ts) */
  readonly rtPushes: RtPushes;
  /** the PULL queue, the Nodo's side: pspChiediListaRT, pspChiediRT, pspInviaAckRT (pull.ts) */
  readonly rtPull: RtPull;
  /** the run's reporting flows (the configuration's, or the Nodo's own) */
  readonly flows: FlowStore;
  /** the reporting flows' SOAP side: processing states, uploads processed (fdr/soap-flows.ts) */
  readonly fdr: SoapFlows;
  /** scripted answers to a PSP's nodoInviaFlussoRendicontazione and the record of its uploads (fdr/upload-script.ts) */
  readonly flowUploads: FlowUploads;
  private readonly clock: Clock;
  private readonly c: OldCtx;
  private readonly store: OldStore;
  private readonly rts: RtDeliveries;
  private server?: RunningServer;
  /** the base URL of a server it shares (listener) */
  private mounted?: string;
  private journal?: Journal;
  private faults?: Faults;

  constructor(private readonly cfg: OldNodoConfig) {
    this.clock = cfg.clock;
    this.unattributed = new Journal(cfg.clock);
    this.rtPushes = new RtPushes({ clock: cfg.clock });
    const timeouts: OldNodoTimeouts = { ...OLD_DEFAULT_TIMEOUTS };
    // a profile's value overrides the default only when it is one (an absent key keeps the default)
    for (const [k, v] of Object.entries(cfg.timeouts ?? {})) if (typeof v === 'number') timeouts[k as keyof OldNodoTimeouts] = v;
    const defects = new Set<OldNodoDefect>(cfg.defects ?? []);
    const journal = () => this.journal ?? this.unattributed;
    const faults = () => this.faults;
    const calls = new OldCalls({ clock: this.clock, journal, faults });
    const waitsMs = cfg.rtRetry?.waitsMs ?? OLD_RT_RETRY_WAITS_MS;
    this.rts = new RtDeliveries({
      calls, faults, clock: this.clock, timeoutMs: timeouts.paaInviaRT, waitsMs, maxAttempts: cfg.rtRetry?.maxAttempts ?? waitsMs.length + 1,
      noRetry: defects.has('no-rt-retry'), settle: cfg.rtWait === 'candidate' ? 'first-failure' : 'final',
    });
    this.store = new OldStore(this.clock);
    this.flows = cfg.flows ?? new FlowStore(this.clock, cfg.ledger);
    this.fdr = new SoapFlows({ clock: this.clock, reg: cfg.registry, store: this.flows, transport: 'soap-old', fault: oldFault, invalidDocument: 'PPT_SEMANTICA', ...cfg.fdr });
    this.flowUploads = new FlowUploads({ clock: this.clock, fault: oldFault, processing: (k, ms) => this.fdr.processingFor(k.idPSP, k.flowId, ms) });
    this.c = {
      cfg, clock: this.clock, reg: cfg.registry, store: this.store, calls, rts: this.rts, timeouts, defects,
      rptAfterActivationMs: cfg.rptAfterActivationMs ?? OLD_RPT_AFTER_ACTIVATION_MS,
      fdr: this.fdr,
      base: () => this.urls.base,
    };
    this.rtPull = new RtPull(this.c);
    // a redelivery that ends later moves the RPT too (the first send's verdict moved it already)
    this.rts.onFinal((d) => {
      const rec = d && d.attempts.length > 1 && d.state !== 'pending' ? this.store.find(d.idDominio, d.iuv, d.ccp) : undefined;
      if (rec && d) settleDelivery(this.c, rec, d);
    });
  }

  // ================================================================ lifecycle

  async start(): Promise<OldNodoUrls> {
    if (!this.server) this.server = await listen({ host: this.cfg.host, port: this.cfg.port, tls: this.cfg.tls }, this.requests());
    return this.urls;
  }

  /**
   * The Nodo's request handling (NodoPerPa, NodoPerPsp, WISP …) for a server it shares with the new
   * model's Nodo (`collaudo serve --psp-counterpart`), told the server's base URL; `start` is then not called.
   */
  listener(base: string): RequestListener {
    this.mounted = base.replace(/\/+$/, '');
    return this.requests();
  }

  private requests(): RequestListener {
    const soap = soapRequestListener({
      name: 'nodo',
      maxBodyBytes: this.cfg.fdr?.maxBodyBytes ?? FLOW_MAX_BODY_BYTES,
      clock: this.clock,
      interfaces: SERVED_PACKS,
      journal: () => this.journal ?? this.unattributed,
      faults: () => this.faults,
      get: (p) => this.serveGet(p),
      handle: (req) => this.rtPushes.intercept(req, () => this.flowUploads.intercept(req, () => this.handle(req))),
    });
    const wisp = wispListener(this.c, () => this.journal ?? this.unattributed);
    return (req, res) => (isWispPath(req.url) ? wisp(req, res) : soap(req, res));
  }

  async stop(): Promise<void> {
    this.rts.stop();
    await this.server?.close();
    this.server = undefined;
  }

  get urls(): OldNodoUrls {
    const at = this.server?.url ?? this.mounted;
    if (!at) throw new Error('OldNodo is not started');
    const base = (this.cfg.publicUrl ?? at).replace(/\/+$/, '');
    return { base, nodoPerPa: `${base}${nodoPerPa.path}`, nodoPerPsp: `${base}${nodoPerPsp.path}`, nodoPerPspRichiestaAvvisi: `${base}${nodoPerPspRichiestaAvvisi.path}`, wisp: `${base}${WISP_PATH}`, wispReturn: `${base}${WISP_RETURN_PATH}` };
  }

  /** The running scenario's journal and transport faults (undefined: none; exchanges go to `unattributed`). */
  bind(b: { journal: Journal; faults?: Faults } | undefined): void {
    this.journal = b?.journal;
    this.faults = b?.faults;
  }

  /** The Nodo → EC / PSP timeouts in force (scenarios derive their waits from them). */
  get timeouts(): Readonly<OldNodoTimeouts> {
    return this.c.timeouts;
  }

  // ================================================================ state views

  /** The record of an RPT: state, history, RT, revoca/storno (a copy). */
  rpt(idDominio: string, iuv: string, ccp: string): RptRecord | undefined {
    const r = this.store.find(idDominio, iuv, ccp);
    return r && structuredClone(r);
  }
  rpts(): RptRecord[] {
    return this.store.all().map((r) => structuredClone(r));
  }
  cart(idCarrello: string): Cart | undefined {
    const x = this.store.cart(idCarrello);
    return x && { ...x };
  }
  session(idSession: string): Cart | undefined {
    const x = this.store.cartOfSession(idSession);
    return x && { ...x };
  }
  activation(idDominio: string, iuv: string, ccp: string): Activation | undefined {
    const a = this.store.activation(rptKey(idDominio, iuv, ccp));
    return a && { ...a };
  }

  /**
   * Resolves with the RPT's record once `until` holds (now or at a later change); event-based,
   * rejected after `deadlineMs` of real time.
   */
  waitRpt(idDominio: string, iuv: string, ccp: string, until: (r: RptRecord) => boolean, deadlineMs: number, label = 'waitRpt'): Promise<RptRecord> {
    const key = rptKey(idDominio, iuv, ccp);
    const now = this.store.rpt(key);
    if (now && until(now)) return Promise.resolve(structuredClone(now));
    return new Promise((resolve, reject) => {
      const off = this.store.onChange((r) => {
        if ('stato' in r && r.key === key && until(r)) {
          done();
          resolve(structuredClone(r));
        }
      });
      const timer = setTimeout(() => {
        done();
        const cur = this.store.rpt(key);
        reject(new Error(`${label}(${key}): not reached within ${deadlineMs} ms (state ${cur?.stato ?? 'no RPT'})`));
      }, deadlineMs);
      const done = () => {
        clearTimeout(timer);
        off();
      };
    });
  }

  /**
   * After a successful nodoAttivaRPT: resolves when the EC's RPT arrives (`inTime`: within the TR-13
   * time on the Nodo's clock). The real-time deadline is that time on the real clock, the send cap on
   * a virtual one (the EC is a real process); `deadlineMs` overrides it.
   */
  async waitRptAfterActivation(idDominio: string, iuv: string, ccp: string, deadlineMs?: number): Promise<{ rpt: RptRecord; afterMs: number; inTime: boolean }> {
    const a = this.store.activation(rptKey(idDominio, iuv, ccp));
    if (!a) throw new Error(`waitRptAfterActivation: no activation of ${idDominio}/${iuv}/${ccp}`);
    const limit = deadlineMs ?? (this.clock.virtual ? VIRTUAL_SEND_REAL_MS : this.c.rptAfterActivationMs);
    const rpt = await this.waitRpt(idDominio, iuv, ccp, (r) => r.createdAt >= a.at && r.stato !== 'RPT_RIFIUTATA_NODO', limit, 'waitRptAfterActivation');
    const afterMs = rpt.createdAt - a.at;
    return { rpt, afterMs, inTime: afterMs <= this.c.rptAfterActivationMs };
  }

  /** RT deliveries (paaInviaRT), in creation order. */
  deliveries(match?: (d: RtDelivery) => boolean): RtDelivery[] {
    return this.rts.deliveries(match);
  }

  /** Resolves when the latest RT delivery of the RPT is final (or settled); deadline from the TR-08 table. */
  waitDelivery(idDominio: string, iuv: string, ccp: string, deadlineMs?: number): Promise<RtDelivery> {
    // nothing will ever come for an RPT the Nodo does not hold
    if (!this.store.find(idDominio, iuv, ccp) && !this.rts.latest(idDominio, iuv, ccp)) return Promise.reject(new Error(`waitDelivery(${idDominio}, ${iuv}, ${ccp}): the Nodo holds no such RPT, no RT will be delivered`));
    return this.rts.wait(idDominio, iuv, ccp, deadlineMs);
  }

  /** The real-time deadline a delivery takes at most from its first send (TR-08 table, paaInviaRT timeout). */
  deliveryDeadlineMs(): number {
    return this.rts.deadlineMs();
  }

  /** pspChiediAvanzamentoRPT (P39): where the PSP says the RPT stands, and what the Nodo's records expected (psp-queries.ts). */
  chiediAvanzamentoRPT(keys: RtKeys, o: { idChannel?: string } = {}): Promise<AvanzamentoRpt> {
    return chiediAvanzamentoRPT(this.c, keys, o);
  }

  restartDelivery(idDominio: string, iuv: string, ccp: string): RtDelivery | undefined {
    return this.rts.restart(idDominio, iuv, ccp);
  }

  /**
   * Sends the RPT's RT to its station again (a duplicate-RT scenario), or a crafted RT XML in its place:
   * same delivery machinery (journal, retry table). The crafted RT becomes the record's RT.
   */
  sendRt(idDominio: string, iuv: string, ccp: string, o: { rtXml?: string; maxAttempts?: number; note?: string } = {}): RtDelivery {
    const rec = this.store.find(idDominio, iuv, ccp);
    if (!rec) throw new Error(`sendRt: no RPT ${idDominio}/${iuv}/${ccp}`);
    if (o.rtXml !== undefined) rec.rt = { ...readRtView(toBase64(o.rtXml)), generated: true, forced: false, at: this.clock.now() };
    if (!rec.rt) throw new Error(`sendRt: the RPT ${idDominio}/${iuv}/${ccp} has no RT yet`);
    const station = rtStationOf(this.c, rec);
    if (!station) throw new Error(`sendRt: station ${rec.idStation} is not registered`);
    return this.rts.start(rec, station, rec.rt.xml, { role: 'crafted', maxAttempts: o.maxAttempts, note: o.note ?? 'RT sent again by the scenario' }).delivery;
  }

  /**
   * A hand-made request from the Nodo to a station (generated negative documents, malformed
   * envelopes): journaled, the scenario's outbound faults apply. `header`: intestazionePPT's content.
   */
  callStation(primitive: 'paaInviaRT' | 'paaVerificaRPT' | 'paaAttivaRPT' | 'paaInviaRichiestaRevoca' | 'paaInviaEsitoStorno', content: NodeObj | { rawEnvelope: string }, opts: { idStation?: string; header?: NodeObj; soapAction?: string; timeoutMs?: number; note?: string } = {}): Promise<CallResult> {
    const op = oldOp(primitive);
    const station = opts.idStation ? this.c.reg.stations.find((s) => s.idStation === opts.idStation) : this.c.reg.stations.find((s) => s.old);
    const url = station && this.c.calls.stationUrl(station, op);
    if (!station || !url) throw new Error(`callStation: no old-model station ${opts.idStation ?? ''} in the registry`);
    const raw = typeof (content as { rawEnvelope?: unknown }).rawEnvelope === 'string' ? (content as { rawEnvelope: string }).rawEnvelope : undefined;
    const envelope = raw ?? encodeEnvelope(op, 'request', content as NodeObj, opts.header);
    const dec = decodeEnvelope(envelope, { validate: false });
    const corr: Correlation = dec.ok ? { ...correlationOf(dec.msg.body), ...dec.msg.header.reduce((a, h) => ({ ...correlationOf(h), ...a }), {}) } : {};
    const timeoutMs = opts.timeoutMs ?? (primitive === 'paaInviaRT' ? this.c.timeouts.paaInviaRT : primitive === 'paaVerificaRPT' ? this.c.timeouts.paaVerificaRPT : primitive === 'paaAttivaRPT' ? this.c.timeouts.paaAttivaRPT : this.c.timeouts.paaRevocaStorno);
    return this.c.calls.send({ url, op, envelope, to: 'ec', corr, timeoutMs, soapAction: opts.soapAction, headers: station.headers, tls: station.tls, note: opts.note ?? `hand-made ${primitive} to station ${station.idStation}` });
  }

  // ================================================================ server side

  private serveGet(p: string): { status: number; type: string; body: string } | undefined {
    const u = new URL(p, 'http://nodo.invalid');
    const pack = SERVED_PACKS.find((k) => u.pathname.endsWith(k.path));
    if (pack && u.search.toLowerCase() === '?wsdl') {
      const text = servedSchema(pack, path.basename(pack.wsdl ?? ''));
      if (text === undefined) return { status: 404, type: 'text/plain', body: `${pack.name}.wsdl is not available\n` };
      return { status: 200, type: 'text/xml; charset=UTF-8', body: text.replace(/(<soap:address\s+location=")[^"]*(")/, `$1${this.urls.base}${pack.path}$2`) };
    }
    const base = path.posix.basename(u.pathname);
    const xsd = base.endsWith('.xsd') ? SERVED_PACKS.map((k) => servedSchema(k, base)).find((x) => x !== undefined) : undefined;
    return xsd === undefined ? undefined : { status: 200, type: 'text/xml; charset=UTF-8', body: xsd };
  }

  private async handle(req: IncomingSoap): Promise<OutgoingSoap> {
    const at = packsAt(SERVED_PACKS, req.path);
    // PPT_SINTASSI_EXTRAXSD for the envelope, PPT_SINTASSI_XSD for an embedded document (V-01)
    return serveSoap(
      {
        interfaces: at.length ? at : SERVED_PACKS,
        name: 'the reference Nodo (old model)',
        codes: { syntax: 'PPT_SINTASSI_EXTRAXSD', document: 'PPT_SINTASSI_XSD', unserved: 'PPT_SYSTEM_ERROR', internal: 'PPT_SYSTEM_ERROR' },
        fault: (_op, r) => oldFault(r.code, r.description),
        contentType: true,
        soapAction: 'tolerate-missing',
        attributeBySoapAction: true,
        callers: this.c.reg,
        serves: (op) => OLD_SERVED.has(op.name),
        describe: { internal: (e) => `reference Nodo failure: ${e.message}` },
        handle: (m) => dispatch(this.c, m),
      },
      req,
    );
  }
}

export type { OldNodoConfig, OldNodoDefect, RptRecord, Cart, Activation, RtDelivery };

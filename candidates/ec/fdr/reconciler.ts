// The reference EC's reconciliation (NM-FDR-REC-01, OLD-FDR-03): one round lists the flows the platform
// holds for an EC (SOAP nodoChiediElencoFlussiRendicontazione on nodeForPa / NodoPerPa, and/or the FdR 3
// organisation API), reads each flow it has not reconciled yet exactly once (NM-FDR-PAY-02/10), uses a
// flow's latest revision (NM-FDR-PAY-11, NM-A-22), and books every line once by (IUV, IUR, idTransfer)
// whatever copy it came in (NM-FDR-DUP-01, NM-A-21). Codes 0 and 4 match a receipt; 8 and 9 have none
// and close the position (NM-FDR-VAL-04, OLD-FDR-04, OLD-PSP-ERR-17); 3 is a revocation. What it booked
// is shown by the read-back (GET /collaudo/reconciliation), the optional profile surface a real EC may offer.
import type { Clock } from '../../../src/core/clock.js';
import { isoDateTime } from '../../../src/core/clock.js';
import { nodeForPa, nodoPerPa, type Operation } from '../../../interfaces/index.js';
import { soapCall } from '../../../src/wire/http.js';
import { restCall } from '../../../src/wire/rest/client.js';
import { encodeEnvelope, readFault } from '../../../src/wire/soap.js';
import { child, childrenNamed, textOf } from '../../../src/wire/xml.js';
import { readFlow } from '../../../domain/fdr/document.js';
import { pspPartOf } from '../../../domain/fdr/ids.js';
import { lineFromRest, type RestPayment } from '../../../domain/fdr/rest.js';
import type { FlowLine, FlowOutcomeCode, ReportingFlow } from '../../../domain/fdr/types.js';
import type { Archive } from '../archive.js';

/** The reconciliation defects of the reference EC (./defects.ts lists what each violates). */
export type FdrDefect =
  | 'fdr-ignores-code-9'
  | 'fdr-rereads-all'
  | 'fdr-unknown-id-loop'
  | 'fdr-refuses-standin'
  | 'fdr-books-copies-twice'
  | 'fdr-superseded-revision'
  | 'fdr-key-without-transfer'
  | 'fdr-reads-without-list'
  | 'fdr-wrong-password';

/** Where one round reads (the trigger's params, or the EC's configuration). */
export interface FdrRound {
  model: 'new' | 'old';
  fiscalCode: string;
  /** nodeForPa (new) or NodoPerPa (old) endpoint */
  soapUrl?: string;
  /** the FdR 3 organisation API base URL (…/fdr-org/service/v1) */
  restUrl?: string;
  password?: string;
  /** flows a back-office operator asks for by name (read even when not listed) */
  flows?: { flowId: string; idPSP?: string; revision?: number }[];
}

/** One booked line, as the read-back shows it. */
export interface BookedFlowLine {
  ecFiscalCode: string;
  flowId: string;
  idPSP: string;
  revision?: number;
  transport: 'soap' | 'rest';
  iuv: string;
  iur: string;
  idTransfer?: number;
  outcomeCode: FlowOutcomeCode;
  amountCents: number;
  /** matched a receipt (0, 4); closed a position without one (8, 9); revoked (3); unmatched: no position/receipt */
  status: 'matched' | 'closed' | 'revoked' | 'unmatched';
  at: string;
}

const UNKNOWN_RETRIES = 5;

export class FdrReconciler {
  readonly booked: BookedFlowLine[] = [];
  /** flows reconciled: `${transport-agnostic key}` → the version reconciled (revision or dataOraFlusso) */
  private readonly done = new Map<string, string>();
  /** `${idPSP}|${flowId}|${version}` already read once (a later round never re-reads it) */
  private readonly read = new Set<string>();
  private running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly ec: {
      clock: Clock;
      archive: Archive;
      idBrokerPA: string;
      idStation: string;
      name: string;
      defects: ReadonlySet<string>;
    },
  ) {}

  private has(d: FdrDefect): boolean {
    return this.ec.defects.has(d);
  }

  /** Starts a round after the one running (the trigger hook answers 202 at once). */
  start(r: FdrRound): void {
    this.running = this.running.then(() => this.round(r)).catch(() => undefined);
  }

  /** Resolves when every round started has ended. */
  async idle(): Promise<void> {
    let last: Promise<unknown>;
    do {
      last = this.running;
      await last;
    } while (last !== this.running);
  }

  /** What the EC booked for `fiscalCode` (all ECs when absent): the read-back's body. */
  readBack(fiscalCode?: string): { lines: BookedFlowLine[] } {
    return { lines: this.booked.filter((b) => fiscalCode === undefined || b.ecFiscalCode === fiscalCode) };
  }

  clear(): void {
    this.booked.length = 0;
    this.done.clear();
    this.read.clear();
  }

  async round(r: FdrRound): Promise<void> {
    // FdR 3 first: its revisions are explicit; a SOAP copy of a flow it booked is then recognised
    if (r.restUrl) await this.restRound(r, r.restUrl).catch(() => undefined);
    if (r.soapUrl) await this.soapRound(r, r.soapUrl).catch(() => undefined);
  }

  // ---------------------------------------------------------------- SOAP

  private async soap(r: FdrRound, url: string, name: string, content: Record<string, unknown>) {
    const pack = r.model === 'old' ? nodoPerPa : nodeForPa;
    const op = pack.operations.find((o: Operation) => o.name === name)!;
    const ids = { identificativoIntermediarioPA: this.ec.idBrokerPA, identificativoStazioneIntermediarioPA: this.ec.idStation, password: this.has('fdr-wrong-password') ? 'scaduta0001' : (r.password ?? 'collaudo01') };
    const envelope = encodeEnvelope(op, 'request', { ...ids, ...content });
    const c = await soapCall({ url, op, envelope, from: this.ec.name, to: 'nodo', timeoutMs: 30_000, clock: this.ec.clock });
    const d = c.decoded;
    if (c.transport !== 'ok' || !d?.ok) return undefined;
    const body = op.result ? (child(d.msg.body, op.result) ?? d.msg.body) : d.msg.body;
    return { body, fault: readFault(body) };
  }

  private async soapRound(r: FdrRound, url: string): Promise<void> {
    const listed: { flowId: string; version: string }[] = [];
    if (!this.has('fdr-reads-without-list')) {
      const a = await this.soap(r, url, 'nodoChiediElencoFlussiRendicontazione', { identificativoDominio: r.fiscalCode });
      if (!a || a.fault) return;
      const list = child(a.body, 'elencoFlussiRendicontazione');
      for (const e of childrenNamed(list, 'idRendicontazione')) listed.push({ flowId: textOf(e, 'identificativoFlusso') ?? '', version: textOf(e, 'dataOraFlusso') ?? '' });
    } else {
      // the defect: reads the flows it knows of again, by name, without asking what is there
      for (const k of this.done.keys()) listed.push({ flowId: k.split('|')[1]!, version: '?' });
    }
    const asked = (r.flows ?? []).map((f) => ({ flowId: f.flowId, version: 'asked' }));
    for (const f of [...listed, ...asked]) {
      const key = `soap|${f.flowId}|${f.version}`;
      if (f.version !== 'asked' && this.read.has(key) && !this.has('fdr-rereads-all')) continue;
      this.read.add(key);
      const tries = f.version === 'asked' && this.has('fdr-unknown-id-loop') ? UNKNOWN_RETRIES : 1;
      for (let i = 0; i < tries; i++) {
        const a = await this.soap(r, url, 'nodoChiediFlussoRendicontazione', { identificativoDominio: r.fiscalCode, identificativoFlusso: f.flowId });
        if (!a || a.fault) continue;
        const xml = Buffer.from(textOf(a.body, 'xmlRendicontazione') ?? '', 'base64');
        const reading = readFlow(xml, { ecFiscalCode: r.fiscalCode, idPSP: pspPartOf(f.flowId) ?? '' });
        if (reading.ok) this.reconcile(reading.flow, 'soap', f.version);
        break;
      }
    }
  }

  // ---------------------------------------------------------------- FdR 3 REST

  private async get(url: string, operationId: string): Promise<unknown> {
    const c = await restCall({ url, method: 'GET', operationId, clock: this.ec.clock, from: this.ec.name, to: 'nodo' });
    return c.status === 200 ? c.json : undefined;
  }

  private async restRound(r: FdrRound, base: string): Promise<void> {
    const org = `${base}/organizations/${r.fiscalCode}/fdrs`;
    const listed: { fdr: string; pspId: string; revision: number; asked?: boolean }[] = [];
    if (!this.has('fdr-reads-without-list')) {
      const list = (await this.get(`${org}?publishedGt=1970-01-01T00:00:00Z&flowDate=1970-01-01T00:00:00Z&size=1000`, 'listOrganizationFlows')) as { data?: { fdr: string; pspId: string; revision: number }[] } | undefined;
      if (!list?.data) return;
      listed.push(...list.data);
    } else for (const k of this.done.keys()) listed.push({ pspId: k.split('|')[0]!, fdr: k.split('|')[1]!, revision: 1 });
    for (const f of r.flows ?? []) listed.push({ fdr: f.flowId, pspId: f.idPSP ?? '', revision: f.revision ?? 1, asked: true });
    for (const f of listed) {
      const revision = this.has('fdr-superseded-revision') && !f.asked ? 1 : f.revision;
      const key = `rest|${f.pspId}|${f.fdr}|${revision}`;
      if (!f.asked && this.read.has(key) && !this.has('fdr-rereads-all')) continue;
      this.read.add(key);
      const at = `${org}/${encodeURIComponent(f.fdr)}/revisions/${revision}/psps/${encodeURIComponent(f.pspId)}`;
      const tries = f.asked && this.has('fdr-unknown-id-loop') ? UNKNOWN_RETRIES : 1;
      for (let i = 0; i < tries; i++) {
        const header = (await this.get(at, 'getOrganizationFlow')) as Record<string, unknown> | undefined;
        if (!header) continue;
        const payments: RestPayment[] = [];
        for (let page = 1; ; page++) {
          const p = (await this.get(`${at}/payments?page=${page}&size=1000`, 'getOrganizationFlowPayments')) as { data?: RestPayment[]; metadata?: { totPage: number } } | undefined;
          if (!p?.data) break;
          payments.push(...p.data);
          if (page >= (p.metadata?.totPage ?? 1)) break;
        }
        const flow: ReportingFlow = {
          flowId: f.fdr, idPSP: f.pspId, revision, flowDate: String(header.fdrDate ?? ''), ecFiscalCode: r.fiscalCode,
          sender: { id: f.pspId }, receiver: { id: r.fiscalCode }, regulationId: String(header.regulation ?? ''), regulationDate: String(header.regulationDate ?? ''),
          totalCount: Number(header.totPayments ?? payments.length), totalCents: 0, lines: payments.map(lineFromRest),
        };
        this.reconcile(flow, 'rest', String(revision));
        break;
      }
    }
  }

  // ---------------------------------------------------------------- booking

  /** Books a flow's lines: a flow already reconciled in this version is skipped; a newer version replaces the older's bookings. */
  private reconcile(flow: ReportingFlow, transport: 'soap' | 'rest', version: string): void {
    // one flow whatever copy: SOAP and REST copies share (idPSP, flowId) (NM-A-21)
    const flowKey = `${flow.idPSP}|${flow.flowId}`;
    const copyKey = this.has('fdr-books-copies-twice') ? `${transport}|${flowKey}` : flowKey;
    if (this.has('fdr-refuses-standin') && flow.lines.some((l) => l.outcomeCode === '4' || l.outcomeCode === '8')) return;
    const before = this.done.get(copyKey);
    const now = `${transport}:${version}`;
    // the same version again, or the other transport's copy of a flow already booked: nothing new
    if (before !== undefined && (before === now || !before.startsWith(`${transport}:`))) return;
    if (before !== undefined) {
      // a newer revision: the superseded one's bookings go (NM-A-22)
      for (let i = this.booked.length - 1; i >= 0; i--) {
        const b = this.booked[i]!;
        if (`${b.idPSP}|${b.flowId}` === flowKey) this.booked.splice(i, 1);
      }
    }
    this.done.set(copyKey, now);
    for (const line of flow.lines) this.book(flow, line, transport);
  }

  private book(flow: ReportingFlow, line: FlowLine, transport: 'soap' | 'rest'): void {
    const idTransfer = transport === 'rest' ? line.idTransfer : (line.idTransfer ?? line.index);
    const same = (b: BookedFlowLine) => b.ecFiscalCode === flow.ecFiscalCode && b.iuv === line.iuv && b.iur === line.iur && (this.has('fdr-key-without-transfer') || b.idTransfer === idTransfer);
    if (this.booked.some(same) && !this.has('fdr-books-copies-twice')) return;
    const now = isoDateTime(this.ec.clock.now());
    const p = this.ec.archive.all().find((x) => x.fiscalCode === flow.ecFiscalCode && x.iuv === line.iuv);
    let status: BookedFlowLine['status'] = 'unmatched';
    switch (line.outcomeCode) {
      case '0':
      case '4': {
        const receipts = p ? this.ec.archive.receiptsOfNotice(p.fiscalCode, p.noticeNumber) : [];
        status = receipts.length || p?.state === 'paid' ? 'matched' : 'unmatched';
        break;
      }
      case '8':
      case '9':
        if (p && !this.has('fdr-ignores-code-9')) {
          if (p.state !== 'paid' && p.state !== 'cancelled') this.ec.archive.setState(p, 'paid', `FdR ${flow.flowId} line code ${line.outcomeCode} (IUR ${line.iur})`, now);
          status = 'closed';
        }
        break;
      case '3':
        status = 'revoked';
        break;
    }
    this.booked.push({ ecFiscalCode: flow.ecFiscalCode, flowId: flow.flowId, idPSP: flow.idPSP, ...(flow.revision !== undefined && transport === 'rest' ? { revision: flow.revision } : {}), transport, iuv: line.iuv, iur: line.iur, ...(idTransfer !== undefined ? { idTransfer } : {}), outcomeCode: line.outcomeCode, amountCents: line.amountCents, status, at: now });
  }
}

// Triggers: how a scenario asks the candidate to act (DESIGN.md, candidate profile "trigger").
// One contract (trigger.schema.json) for three transports:
//   - http:    POST <url> with the request JSON; the candidate answers 202 at once and then acts;
//   - command: a shell command gets the request JSON on stdin and in COLLAUDO_TRIGGER;
//   - prompt:  the request is printed for a person, who acts before the deadline.
// Seat-agnostic: the PSP seat uses it to start payments, the EC seat can use it for EC-initiated flows.
// The candidate may POST a report of what it did to `reportUrl` (ReportInbox); a scenario that
// waits in vain ends INCONCLUSIVE with the reason, never FAIL.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { describeAjvError } from '../core/schema-errors.js';
import { badRequestTarget, guardServer, refuse } from '../wire/http.js';
import addFormatsModule from 'ajv-formats';

export const TRIGGER_CONTRACT = 'collaudo-trigger/1';

export type PspTriggerAction = 'pay' | 'verify-only' | 'abandon' | 'pay-spontaneous' | 'service-catalogue' | 'notify-accept' | 'notify-refuse' | 'fdr-report';

/** `params` of `fdr-report` (trigger.schema.json #/definitions/fdrReport): report the flow of `fiscalCode` for one payment day. */
export interface FdrReportParams {
  /** which model's payments (and channel): new (default) or old */
  model?: 'new' | 'old';
  /** soap: nodoInviaFlussoRendicontazione; rest: FdR 3 (create, add, publish) */
  transport: 'soap' | 'rest';
  /** the payment day D the flow settles (the lines' date) */
  day: string;
  /** the day the flow is made (dataOraFlusso, the identifier's date): the harness's calendar */
  today: string;
  /** the collections to report: those made in [from, to) (ISO instants) */
  from: string;
  to: string;
  /** a correction of this published flow (same identifier: a REST revision / a SOAP resubmission with a later dataOraFlusso) */
  revise?: string;
}
/** Seat ec: EC-initiated flows (the EC front end starts a Checkout cart, the asynchronous EC feeds GPD). */
export type EcTriggerAction = 'checkout-cart' | 'stamp-cart' | 'gpd-create' | 'gpd-update' | 'gpd-cancel';
/** Seat ec, old model (SANP 2.2.6): the EC calls the harness's Nodo (NodoPerPa). */
export type OldEcTriggerAction = 'old-cart' | 'old-rpt' | 'old-recover-rt' | 'old-pending' | 'old-informativa' | 'old-storno';
/** Seat ec, both models: one reconciliation round (params {model, soapUrl?, restUrl?, password?, flows?}). */
export type FdrEcTriggerAction = 'fdr-reconcile';
/** Seat psp, old model (SANP 2.2.6): the PSP calls the harness's Nodo (NodoPerPsp). */
export type OldPspTriggerAction = 'old-psp-pay' | 'old-psp-verify' | 'old-psp-abandon' | 'old-psp-revoca' | 'old-psp-authorise' | 'old-psp-spontaneous' | 'old-psp-informativa';
export type TriggerAction = PspTriggerAction | EcTriggerAction | OldEcTriggerAction | OldPspTriggerAction | FdrEcTriggerAction;
export const EC_TRIGGER_ACTIONS: readonly EcTriggerAction[] = ['checkout-cart', 'stamp-cart', 'gpd-create', 'gpd-update', 'gpd-cancel'];
export const OLD_EC_TRIGGER_ACTIONS: readonly OldEcTriggerAction[] = ['old-cart', 'old-rpt', 'old-recover-rt', 'old-pending', 'old-informativa', 'old-storno'];
export const OLD_PSP_TRIGGER_ACTIONS: readonly OldPspTriggerAction[] = ['old-psp-pay', 'old-psp-verify', 'old-psp-abandon', 'old-psp-revoca', 'old-psp-authorise', 'old-psp-spontaneous', 'old-psp-informativa'];

/** `params` of each EC action (trigger.schema.json #/definitions/ecParams). */
export interface EcTriggerParams {
  'checkout-cart': { notices: { fiscalCode: string; noticeNumber: string; amount?: string }[] };
  'stamp-cart': { document?: string; tipoBollo?: string; provinciaResidenza?: string };
  'gpd-create': { amountCents: number; dueDays?: number };
  'gpd-update': { iupd: string; amountCents: number };
  'gpd-cancel': { iupd: string };
}

/** A request of the contract, either seat (what the transports carry). */
export type AnyTriggerRequest = TriggerRequest | EcTriggerRequest;

/** Seat ec: an EC-initiated flow; noticeNumber only for the actions on an existing notice. */
export interface EcTriggerRequest extends Omit<TriggerRequest, 'seat' | 'action' | 'noticeNumber' | 'params'> {
  seat: 'ec';
  action: EcTriggerAction | OldEcTriggerAction | FdrEcTriggerAction;
  /** checkout-cart, gpd-update, gpd-cancel: the notice concerned (the first of the cart) */
  noticeNumber?: string;
  params: Record<string, unknown>;
}

/** Seat psp (the default seat of the contract). */
export interface TriggerRequest {
  contract: typeof TRIGGER_CONTRACT;
  requestId: string;
  scenarioId: string;
  seat?: 'ec' | 'psp';
  action: PspTriggerAction | OldPspTriggerAction;
  primitives?: 'v1' | 'v2';
  verify?: boolean;
  fiscalCode: string;
  noticeNumber: string;
  amount?: string;
  amountCents?: number;
  deadline: string;
  deadlineMs: number;
  notices?: { fiscalCode: string; noticeNumber: string; amount?: string }[];
  spontaneous?: { idServizio?: string; idSoggettoServizio: string; datiSpecificiServizio: string };
  /** fdr-report: FdrReportParams; seat ec: the action's data (EcTriggerParams); old-psp-revoca: {iuv, ccp, idDominio?, tipoRevoca?}; old-psp-authorise: {idCarrello | iuv, ccp?, idDominio?, authorised?}; old-psp-spontaneous: {idServizio, idDominioErogatoreServizio?, datiSpecificiServizio}; old-psp-informativa: {idDominio?} */
  params?: Record<string, unknown>;
  reportUrl?: string;
  note?: string;
}

export interface TriggerReport {
  requestId: string;
  result: 'paid' | 'not-paid' | 'refused' | 'failed';
  paymentTokens?: string[];
  amountCents?: number;
  message?: string;
  /** set by the inbox: when it arrived (real ms) */
  receivedAt?: number;
}

/** The candidate could not be asked (hook unreachable, non-202 answer, command failed). */
export class TriggerError extends Error {}

export const TRIGGER_SCHEMA_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'trigger.schema.json');

type Validator = ReturnType<Ajv['compile']>;
let validators: { request: Validator; report: Validator } | undefined;
function compiled(): { request: Validator; report: Validator } {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const addFormats = (addFormatsModule as unknown as { default?: (a: Ajv) => void }).default ?? (addFormatsModule as unknown as (a: Ajv) => void);
    addFormats(ajv);
    const schema = JSON.parse(readFileSync(TRIGGER_SCHEMA_FILE, 'utf8')) as { definitions: { report: object } };
    validators = { request: ajv.compile(schema), report: ajv.compile(schema.definitions.report) };
  }
  return validators;
}

const describe = (e: ErrorObject, root: string): string => describeAjvError(e, root);

/**
 * Validates a trigger request against the contract; the error names every field and rule. A hook
 * of one seat also refuses the other seat's actions: `seat` 'psp' (default) or 'ec'; 'any' = the
 * contract alone (the transports).
 */
export function validateTriggerRequest(x: unknown, seat?: 'psp'): TriggerRequest;
export function validateTriggerRequest(x: unknown, seat: 'ec'): EcTriggerRequest;
export function validateTriggerRequest(x: unknown, seat: 'any'): AnyTriggerRequest;
export function validateTriggerRequest(x: unknown, seat: 'psp' | 'ec' | 'any' = 'psp'): AnyTriggerRequest {
  const v = compiled().request;
  if (!v(x)) {
    // the action-dependent rules are if/then: their own "must match then" errors add nothing
    const problems = [...new Set((v.errors ?? []).filter((e) => e.keyword !== 'if').map((e) => describe(e, 'request')))];
    throw new TriggerError(`invalid trigger request: ${problems.join('; ')}`);
  }
  const r = x as AnyTriggerRequest;
  const ec = ([...EC_TRIGGER_ACTIONS, ...OLD_EC_TRIGGER_ACTIONS] as readonly string[]).includes(r.action);
  if (seat !== 'any' && ec !== (seat === 'ec')) throw new TriggerError(`invalid trigger request: request.action: "${r.action}" is an action of seat ${ec ? 'ec' : 'psp'}; this hook serves seat ${seat}`);
  return r;
}

export function validateTriggerReport(x: unknown): TriggerReport {
  const v = compiled().report;
  if (!v(x)) throw new TriggerError(`invalid trigger report: ${(v.errors ?? []).map((e) => describe(e, 'report')).join('; ')}`);
  return x as TriggerReport;
}

export interface TriggerTransport {
  readonly kind: 'http' | 'command' | 'prompt';
  /** where the request goes, for reasons and reports */
  readonly target: string;
  /** Delivers the request; resolves once the candidate accepted it, rejects with TriggerError. */
  fire(req: AnyTriggerRequest): Promise<void>;
  close(): Promise<void>;
}

/** HTTP hook: POST JSON, the candidate answers 202 Accepted at once and acts afterwards. */
export class HttpTrigger implements TriggerTransport {
  readonly kind = 'http' as const;
  constructor(
    readonly target: string,
    private readonly o: { headers?: Record<string, string>; tls?: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized?: boolean }; ackTimeoutMs?: number } = {},
  ) {}
  fire(req: AnyTriggerRequest): Promise<void> {
    const body = JSON.stringify(validateTriggerRequest(req, 'any'));
    const u = new URL(this.target);
    const lib = u.protocol === 'https:' ? https : http;
    const ackMs = Math.min(this.o.ackTimeoutMs ?? 10_000, Math.max(1000, req.deadlineMs));
    return new Promise<void>((resolve, reject) => {
      const r = lib.request(
        u,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...(this.o.headers ?? {}) },
          ca: this.o.tls?.ca,
          cert: this.o.tls?.cert,
          key: this.o.tls?.key,
          rejectUnauthorized: this.o.tls?.rejectUnauthorized ?? true,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            clearTimeout(timer);
            if (res.statusCode === 202) resolve();
            else reject(new TriggerError(`trigger hook ${this.target} answered HTTP ${res.statusCode} instead of 202: ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`));
          });
        },
      );
      const timer = setTimeout(() => {
        r.destroy();
        reject(new TriggerError(`trigger hook ${this.target} did not answer within ${ackMs} ms (the contract asks for 202 at once)`));
      }, ackMs);
      r.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new TriggerError(`trigger hook ${this.target} unreachable: ${e.code ?? ''} ${e.message}`.replace(/\s+/g, ' ')));
      });
      r.end(body);
    });
  }
  async close(): Promise<void> {}
}

/**
 * Shell command: request JSON on stdin and in COLLAUDO_TRIGGER (plus COLLAUDO_SCENARIO, COLLAUDO_ACTION).
 * Exit 0 = accepted; a non-zero exit is a TriggerError; a command still running at the deadline is
 * taken as acting (it may pay synchronously) and is stopped when the run ends.
 */
export class CommandTrigger implements TriggerTransport {
  readonly kind = 'command' as const;
  private readonly running = new Set<ChildProcess>();
  constructor(readonly target: string, private readonly cwd?: string) {}
  fire(req: AnyTriggerRequest): Promise<void> {
    const body = JSON.stringify(validateTriggerRequest(req, 'any'));
    return new Promise<void>((resolve, reject) => {
      const child = spawn('sh', ['-c', this.target], {
        cwd: this.cwd,
        env: { ...process.env, COLLAUDO_TRIGGER: body, COLLAUDO_SCENARIO: req.scenarioId, COLLAUDO_ACTION: req.action },
        stdio: ['pipe', 'ignore', 'pipe'],
      });
      this.running.add(child);
      let stderr = '';
      child.stderr?.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-400)));
      const timer = setTimeout(resolve, Math.max(100, req.deadlineMs));
      child.on('error', (e) => {
        clearTimeout(timer);
        this.running.delete(child);
        reject(new TriggerError(`trigger command could not start: ${e.message}`));
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        this.running.delete(child);
        if (code === 0) resolve();
        else reject(new TriggerError(`trigger command exited with ${code ?? signal}${stderr ? `: ${stderr.trim()}` : ''}`));
      });
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(body);
    });
  }
  async close(): Promise<void> {
    for (const c of this.running) c.kill('SIGTERM');
    this.running.clear();
  }
}

/** A person acts: the request is printed with its deadline; the scenario then waits on the wire. */
export class PromptTrigger implements TriggerTransport {
  readonly kind = 'prompt' as const;
  readonly target = 'the operator (terminal)';
  constructor(private readonly out: NodeJS.WritableStream = process.stderr) {}
  async fire(req: AnyTriggerRequest): Promise<void> {
    validateTriggerRequest(req, 'any');
    const lines = [
      '',
      `┌─ collaudo asks you to act — scenario ${req.scenarioId}`,
      `│ action: ${req.action}${req.primitives ? ` (${req.primitives} primitives)` : ''}`,
      `│ ${req.noticeNumber ? `notice: ${req.fiscalCode} / ${req.noticeNumber}` : `EC: ${req.fiscalCode}`}${req.amount ? `, ${req.noticeNumber ? 'printed amount' : 'amount'} ${req.amount} EUR` : ''}`,
      ...(req.params && Object.keys(req.params).length ? [`│ params: ${JSON.stringify(req.params)}`] : []),
      ...(req.note ? [`│ ${req.note}`] : []),
      `│ act before ${req.deadline} (${Math.round(req.deadlineMs / 1000)} s); the request as JSON:`,
      `│ ${JSON.stringify(req)}`,
      '└─',
      '',
    ];
    this.out.write(lines.join('\n'));
  }
  async close(): Promise<void> {}
}

/** Collects optional reports POSTed by the candidate (`reportUrl`), by requestId. */
export class ReportInbox {
  static readonly MAX_REPORTS = 10_000;
  private readonly reports = new Map<string, TriggerReport>();
  private readonly waiters = new Map<string, ((r: TriggerReport) => void)[]>();
  private server?: http.Server;
  private base = '';

  async start(host = '127.0.0.1', port = 0): Promise<string> {
    this.server = http.createServer((req, res) => {
      const bad = badRequestTarget(req.url);
      if (bad) {
        req.resume();
        return refuse(res, 400, bad);
      }
      if (req.method !== 'POST' || !req.url?.startsWith('/collaudo/report')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"error":"POST /collaudo/report"}');
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= 65536) chunks.push(c);
      });
      req.on('end', () => {
        if (size > 65536) {
          res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
          return void res.end('{"error":"a report is at most 65536 bytes"}');
        }
        try {
          const r = validateTriggerReport(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          this.accept(r);
          res.writeHead(204);
          res.end();
        } catch (e) {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: (e as Error).message }));
        }
      });
    });
    guardServer(this.server);
    this.server.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, () => resolve());
    });
    const a = this.server.address() as AddressInfo;
    this.base = `http://${host.includes(':') ? `[${host}]` : host}:${a.port}/collaudo/report`;
    return this.base;
  }

  get url(): string {
    return this.base;
  }

  accept(r: TriggerReport): void {
    const full = { ...r, receivedAt: Date.now() };
    this.reports.delete(r.requestId);
    this.reports.set(r.requestId, full);
    // a long session (or a flood of made-up requestIds) keeps the latest reports only
    if (this.reports.size > ReportInbox.MAX_REPORTS) this.reports.delete(this.reports.keys().next().value!);
    for (const w of this.waiters.get(r.requestId) ?? []) w(full);
    this.waiters.delete(r.requestId);
  }

  get(requestId: string): TriggerReport | undefined {
    return this.reports.get(requestId);
  }

  /** How many reports arrived so far (a candidate that reported once reports its flows). */
  get size(): number {
    return this.reports.size;
  }

  /** The report for a request, or undefined when none came within `ms` (real time). */
  wait(requestId: string, ms: number): Promise<TriggerReport | undefined> {
    const hit = this.reports.get(requestId);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const list = this.waiters.get(requestId) ?? [];
        this.waiters.set(requestId, list.filter((x) => x !== w));
        resolve(undefined);
      }, ms);
      const w = (r: TriggerReport) => {
        clearTimeout(timer);
        resolve(r);
      };
      this.waiters.set(requestId, [...(this.waiters.get(requestId) ?? []), w]);
    });
  }

  async close(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) {
      s.closeAllConnections();
      await new Promise<void>((r) => s.close(() => r()));
    }
  }
}

// The reference EC: one station of an EC broker serving one (or more) ECs on paForNode
// (catalog-new-model-interfaces.md §3), with an archive of debt positions (NM-SM-POS), receipts
// booked per receiptId, a spontaneous-service catalogue, a JSON provisioning adapter and defect
// switches (./defects.ts). Everything it answers validates against xsd/paForNode.xsd unless a
// defect says otherwise.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../src/core/clock.js';
import { isoDate, isoDateTime } from '../../src/core/clock.js';
import {
  type Cents,
  type PositionState,
  type Subject,
  type Transfer,
  formatAmount,
  isValidIban,
  makeIban,
  noticeAux3,
  parseAmount,
} from '../../domain/common.js';
import type { Correlation } from '../../src/core/journal.js';
import type { Faults } from '../../src/core/faults.js';
import type { Journal } from '../../src/core/journal.js';
import { type IncomingSoap, type OutgoingSoap, type RunningServer, type TlsServerOptions, startSoapServer } from '../../src/wire/http.js';
import { serveSoap, verbatim } from '../../src/wire/soap-endpoint.js';
import { type Operation } from '../../interfaces/index.js';
import { encodeEnvelope, encodeSoapFault, ko } from '../../src/wire/soap.js';
import { type El, type NodeObj, child, childrenNamed, pathText, textOf } from '../../src/wire/xml.js';
import { servedSchema } from '../../src/wire/contract.js';
import { paForNode } from '../../interfaces/index.js';
import { Archive, type BookedReceipt, DEFAULT_DEBTOR, type EcPosition } from './archive.js';
import { type EcDefect, isEcDefect } from './defects.js';
import { type ProvisionInput, ProvisioningError, type UpdateInput, parseJsonBody, validateProvision, validateUpdate } from './provisioning.js';
import { EcFrontEnd, type PlatformEndpoints } from './frontend.js';
import { type DemandQuote, type DemandService, NotAcceptableError, NothingToPayError, ServiceDataError, defaultServices, readServiceData } from './services.js';

export const SOAP_PATH = '/pagopa/paForNode';
/** how late the `late-answer` defect answers paGetPayment(V2): past the Nodo's 7 s (IF-X-13) */
export const LATE_ANSWER_MS = 8000;

/** An EC served by the station besides the primary one (multi-EC broker, secondary beneficiaries). */
export interface ServedEc {
  fiscalCode: string;
  companyName: string;
  officeName?: string;
  /** registered (censiti) IBANs; postal accounts (ABI 07601) are used for transferType=POSTAL */
  ibans: string[];
}

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
  defects?: EcDefect[];
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
}

export interface TransferJson {
  idTransfer: number;
  amountCents: Cents;
  fiscalCodePA: string;
  iban: string;
  remittanceInformation: string;
  transferCategory: string;
  companyName?: string;
}

export interface ReceiptJson extends Omit<BookedReceipt, 'paymentAmount' | 'transfers'> {
  paymentAmountCents?: Cents;
  transfers: { idTransfer: number; fiscalCodePA: string; amountCents?: Cents; mbd: boolean }[];
}

export interface PositionJson {
  fiscalCode: string;
  noticeNumber: string;
  iuv: string;
  amountCents: Cents;
  state: PositionState;
  description: string;
  companyName: string;
  officeName?: string;
  dueDate: string;
  debtor: Subject;
  transfers: TransferJson[];
  metadata?: Record<string, string>;
  origin: EcPosition['origin'];
  createdAt: string;
  history: EcPosition['history'];
  receipts: ReceiptJson[];
}

/** faultString wording of the EC domain (gestione degli errori, domino EC), restated. */
export const FAULT_STRINGS: Record<string, string> = {
  PAA_SINTASSI_EXTRAXSD: 'Errore di sintassi extra XSD.',
  PAA_SINTASSI_XSD: 'Errore di sintassi XSD.',
  PAA_ID_DOMINIO_ERRATO: "La PAA non corrisponde al Dominio indicato.",
  PAA_ID_INTERMEDIARIO_ERRATO: 'Identificativo intermediario non corrispondente.',
  PAA_STAZIONE_INT_ERRATA: 'Stazione intermediario non corrispondente.',
  PAA_PAGAMENTO_SCONOSCIUTO: "Pagamento in attesa risulta sconosciuto all'Ente Creditore.",
  PAA_PAGAMENTO_SCADUTO: "Pagamento in attesa risulta scaduto all'Ente Creditore.",
  PAA_PAGAMENTO_ANNULLATO: "Pagamento in attesa risulta annullato all'Ente Creditore.",
  PAA_PAGAMENTO_DUPLICATO: "Pagamento in attesa risulta concluso all'Ente Creditore.",
  PAA_PAGAMENTO_IN_CORSO: "Pagamento in attesa risulta in corso all'Ente Creditore.",
  PAA_RECEIPT_DUPLICATA: "La ricevuta risulta già acquisita dall'Ente Creditore.",
  PAA_SEMANTICA: 'Errore semantico.',
  PAA_SYSTEM_ERROR: 'Errore generico.',
};

/** Taxonomy codes (tassonomia dei servizi di incasso, IF-paGetPayment-F76) used per transfer index. */
const TAXONOMY = ['0101101IM', '0101102IM', '0201101TS', '0301109TS', '0101108TS'];
const SECONDARY_TAXONOMY = '0201102TS';

export const isPostalIban = (iban: string): boolean => iban.startsWith('IT') && iban.slice(5, 10) === '07601';

/** A deterministic, valid IBAN for an EC the station does not know (secondary beneficiary only by fiscal code). */
export function derivedIban(fiscalCode: string): string {
  return makeIban('IT', `X0306909606${fiscalCode.padStart(12, '0').slice(-12)}`);
}

const CRASH_PAGE =
  '<html><head><title>Error 500 Internal Server Error</title></head><body><h2>HTTP ERROR 500</h2>' +
  '<pre>java.lang.NullPointerException: Cannot invoke "org.w3c.dom.Node.getLocalName()" because "body" is null\n' +
  '\tat it.ente.pagopa.ws.PaForNodeEndpoint.dispatch(PaForNodeEndpoint.java:88)</pre></body></html>';

type Fault = { code: string; description: string };
interface Ctx {
  op: Operation;
  body: El;
  /** the EC the request is for (a served idPA; the primary EC when no-self-check ignores a foreign one) */
  ec: ServedEc;
}

export class ReferenceEc {
  readonly archive = new Archive();
  readonly defects: ReadonlySet<EcDefect>;
  private readonly ecs = new Map<string, ServedEc>();
  private readonly services: DemandService[];
  private server?: RunningServer;
  private seq = 0;
  /** front end, portal, payment options, ACA/GPD feeding (./frontend.ts) */
  readonly frontEnd: EcFrontEnd;

  constructor(readonly opts: ReferenceEcOptions) {
    const problems: string[] = [];
    if (!/^[0-9]{11}$/.test(opts.idPA)) problems.push(`idPA must be an EC fiscal code of 11 digits, got "${opts.idPA}"`);
    for (const [k, v] of [['idBrokerPA', opts.idBrokerPA], ['idStation', opts.idStation]] as const) {
      if (!v || v.length > 35) problems.push(`${k} must be 1..35 characters`);
    }
    if (!opts.companyName || opts.companyName.length > 140) problems.push('companyName must be 1..140 characters');
    if (!/^\d{2}$/.test(opts.segregationCode)) problems.push(`segregationCode must be 2 digits, got "${opts.segregationCode}"`);
    if (opts.ibans.length === 0) problems.push('ibans: at least one registered IBAN is needed');
    for (const ec of [{ fiscalCode: opts.idPA, ibans: opts.ibans }, ...(opts.secondaryEcs ?? [])]) {
      for (const i of ec.ibans) if (!isValidIban(i)) problems.push(`IBAN ${i} of ${ec.fiscalCode} is not a valid IBAN`);
    }
    for (const d of opts.defects ?? []) if (!isEcDefect(d)) problems.push(`unknown defect ${d}`);
    if (problems.length) throw new Error(`ReferenceEc: ${problems.join('; ')}`);
    this.defects = new Set(opts.defects ?? []);
    this.ecs.set(opts.idPA, { fiscalCode: opts.idPA, companyName: opts.companyName, officeName: opts.officeName, ibans: opts.ibans });
    for (const s of opts.secondaryEcs ?? []) {
      if (!/^[0-9]{11}$/.test(s.fiscalCode)) throw new Error(`ReferenceEc: secondary EC fiscal code "${s.fiscalCode}" is not 11 digits`);
      if (!s.ibans.length) throw new Error(`ReferenceEc: secondary EC ${s.fiscalCode} needs at least one IBAN`);
      this.ecs.set(s.fiscalCode, s);
    }
    this.services = opts.services ?? defaultServices();
    this.frontEnd = new EcFrontEnd(this, opts.platform ?? {}, (d) => this.defects.has(d));
  }

  get fiscalCode(): string {
    return this.opts.idPA;
  }
  /** ECs this station answers for (idPA values it accepts) */
  get servedEcs(): ServedEc[] {
    return [...this.ecs.values()];
  }
  get url(): string {
    if (!this.server) throw new Error('ReferenceEc is not started');
    return this.server.url + SOAP_PATH;
  }
  get baseUrl(): string {
    if (!this.server) throw new Error('ReferenceEc is not started');
    return this.server.url;
  }
  private has(d: EcDefect): boolean {
    return this.defects.has(d);
  }
  private nowIso(): string {
    return isoDateTime(this.opts.clock.now());
  }

  // ------------------------------------------------------------------ lifecycle

  async start(): Promise<{ url: string; baseUrl: string }> {
    if (this.server) return { url: this.url, baseUrl: this.baseUrl };
    this.server = await startSoapServer({ interfaces: [paForNode],
      name: this.opts.name ?? `ec:${this.opts.idStation}`,
      host: this.opts.host ?? '127.0.0.1',
      port: this.opts.port ?? 0,
      tls: this.opts.tls,
      clock: this.opts.clock,
      maxBodyBytes: this.opts.maxBodyBytes,
      journal: this.opts.journal,
      faults: this.opts.faults,
      get: (p) => this.handleGet(p),
      handle: (req) => this.handle(req),
      isJson: (p) => /^\/(provisioning|payment-options|collaudo|govpay)(\/|\?|$)/.test(p),
    });
    return { url: this.url, baseUrl: this.baseUrl };
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    await s?.close();
  }

  // ------------------------------------------------------------------ provisioning (methods)

  /** Creates a debt position with a fresh notice number (aux digit 3 + segregation code). */
  provision(input: ProvisionInput): PositionJson {
    const v = validateProvision(input);
    const issuer = this.ecs.get(v.fiscalCode ?? this.opts.idPA);
    if (!issuer) throw new ProvisioningError(`fiscalCode ${v.fiscalCode} is not served by station ${this.opts.idStation}`, 'fiscalCode');
    if (v.secondaryFiscalCode === issuer.fiscalCode) {
      throw new ProvisioningError('secondaryFiscalCode must differ from the issuing EC', 'secondaryFiscalCode');
    }
    const now = this.opts.clock.now();
    const noticeNumber = this.freshNotice();
    const iuv = noticeNumber.slice(1);
    const amount = v.amountCents ?? 12050;
    const dueDate = v.dueDate ?? isoDate(v.state === 'expired' ? now - 86_400_000 : now + 30 * 86_400_000);
    const description = v.description ?? `Avviso ${iuv} - ${issuer.companyName}`.slice(0, 140);
    const transfers = this.split(issuer, iuv, amount, v.transfers ?? 1, description, v.secondaryFiscalCode);
    const p: EcPosition = {
      fiscalCode: issuer.fiscalCode,
      noticeNumber,
      iuv,
      amount,
      description,
      companyName: issuer.companyName,
      officeName: issuer.officeName,
      dueDate,
      debtor: DEFAULT_DEBTOR,
      transfers,
      state: v.state,
      metadata: v.metadata,
      origin: 'provisioning',
      createdAt: isoDateTime(now),
      history: [{ at: isoDateTime(now), from: null, to: v.state, cause: 'provisioning' }],
    };
    this.archive.put(p);
    return this.toJson(p);
  }

  /** The position as JSON, with the receipts booked for it; undefined when the EC never issued it. */
  position(fiscalCode: string, noticeNumber: string): PositionJson | undefined {
    const p = this.archive.get(fiscalCode, noticeNumber);
    return p ? this.toJson(p) : undefined;
  }

  positions(): PositionJson[] {
    return this.archive.all().map((p) => this.toJson(p));
  }

  receipts(): ReceiptJson[] {
    return this.archive.allReceipts().map(receiptJson);
  }

  /** The EC changes a position itself (its own front end, a cancellation, an amount update). */
  update(fiscalCode: string, noticeNumber: string, input: UpdateInput): PositionJson {
    const u = validateUpdate(input);
    const p = this.archive.get(fiscalCode, noticeNumber);
    if (!p) throw new ProvisioningError(`no position ${fiscalCode}/${noticeNumber}`, null, 404);
    if (u.amountCents !== undefined && u.amountCents !== p.amount) {
      if (u.amountCents < p.transfers.length) {
        throw new ProvisioningError(`amountCents ${u.amountCents} cannot be split into ${p.transfers.length} transfers`, 'amountCents');
      }
      rescale(p, u.amountCents);
    }
    if (u.state) this.archive.setState(p, u.state, 'provisioning update', this.nowIso());
    return this.toJson(p);
  }

  /** Forgets every position and receipt. */
  clear(): void {
    this.archive.clear();
  }

  private freshNotice(): string {
    // 13-digit IUV base: clock seconds and a per-instance counter, skipping numbers in use. The base
    // never starts with 9: harnesses build "never issued" notices from 9-prefixed bases.
    for (;;) {
      const base = (Math.floor(this.opts.clock.now() / 1000) % 90_000_000) * 100_000 + (this.seq++ % 100_000);
      const n = noticeAux3(this.opts.segregationCode, String(base).padStart(13, '0'));
      if (!this.archive.noticeTaken(n)) return n;
    }
  }

  private split(issuer: ServedEc, iuv: string, amount: Cents, n: number, description: string, secondary?: string): Transfer[] {
    const each = Math.floor(amount / n);
    const out: Transfer[] = [];
    const bank = issuer.ibans.filter((i) => !isPostalIban(i));
    const pool = bank.length ? bank : issuer.ibans;
    for (let i = 0; i < n; i++) {
      const amt = i === 0 ? amount - each * (n - 1) : each;
      const isSecondary = secondary !== undefined && i === n - 1;
      const ec = isSecondary ? this.ecs.get(secondary) : issuer;
      const fiscalCodePA = isSecondary ? secondary : issuer.fiscalCode;
      const iban = isSecondary ? (ec ? preferBank(ec.ibans) : derivedIban(secondary)) : pool[i % pool.length]!;
      out.push({
        idTransfer: i + 1,
        amount: amt,
        fiscalCodePA,
        iban,
        remittanceInformation: `/RFB/${iuv}/${formatAmount(amt)}/TXT/${description}`.slice(0, 140),
        transferCategory: isSecondary ? SECONDARY_TAXONOMY : TAXONOMY[i]!,
        companyName: isSecondary ? (ec?.companyName ?? `Ente ${secondary}`) : issuer.companyName,
      });
    }
    return out;
  }

  private toJson(p: EcPosition): PositionJson {
    return {
      fiscalCode: p.fiscalCode,
      noticeNumber: p.noticeNumber,
      iuv: p.iuv,
      amountCents: p.amount,
      state: p.state,
      description: p.description,
      companyName: p.companyName,
      officeName: p.officeName,
      dueDate: p.dueDate,
      debtor: p.debtor,
      transfers: p.transfers.map((t) => ({
        idTransfer: t.idTransfer,
        amountCents: t.amount,
        fiscalCodePA: t.fiscalCodePA,
        iban: t.iban,
        remittanceInformation: t.remittanceInformation,
        transferCategory: t.transferCategory,
        companyName: t.companyName,
      })),
      metadata: p.metadata,
      origin: p.origin,
      createdAt: p.createdAt,
      history: p.history.map((h) => ({ ...h })),
      receipts: this.archive.receiptsOfNotice(p.fiscalCode, p.noticeNumber).map(receiptJson),
    };
  }

  // ------------------------------------------------------------------ HTTP: GET

  private handleGet(rawPath: string): { status: number; type: string; body: string } {
    const [p = '/', query = ''] = rawPath.split('?', 2);
    const json = (status: number, v: unknown) => ({ status, type: 'application/json', body: JSON.stringify(v) });
    if (p === SOAP_PATH && /(^|&)wsdl(=|&|$)/i.test(query)) {
      const text = servedSchema(paForNode, 'paForNode.wsdl');
      if (text === undefined) return { status: 404, type: 'text/plain', body: 'paForNode.wsdl is not available\n' };
      const wsdl = text.replace(/(<soap:address\s+location=")[^"]*(")/, `$1${this.url}$2`);
      return { status: 200, type: 'text/xml; charset=UTF-8', body: wsdl };
    }
    const xsd = /^\/pagopa\/([A-Za-z][A-Za-z-]*\.xsd)$/.exec(p);
    if (xsd) {
      const text = servedSchema(paForNode, xsd[1]!);
      if (text !== undefined) return { status: 200, type: 'text/xml; charset=UTF-8', body: text };
      return { status: 404, type: 'text/plain', body: `${xsd[1]} not found\n` };
    }
    const fe = this.frontEnd.handleGet(p, query);
    if (fe) return fe;
    const one = /^\/provisioning\/positions\/([^/]+)\/([^/]+)$/.exec(p);
    if (one) {
      const pos = this.position(decodeURIComponent(one[1]!), decodeURIComponent(one[2]!));
      return pos ? json(200, pos) : json(404, { error: `no position ${one[1]}/${one[2]}`, field: null });
    }
    if (p === '/provisioning/positions') return json(200, { positions: this.positions() });
    if (p === '/provisioning/receipts') return json(200, { receipts: this.receipts() });
    if (p === '/provisioning/services') {
      return json(200, { services: this.services.map((s) => ({ idServizio: s.idServizio, idSoggettoServizio: s.idSoggettoServizio, name: s.name, root: `{${s.namespace}}${s.root}` })) });
    }
    return { status: 404, type: 'text/plain', body: `nothing at ${p}\n` };
  }

  // ------------------------------------------------------------------ HTTP: POST

  private async handle(req: IncomingSoap): Promise<OutgoingSoap> {
    const p = req.path.split('?', 1)[0] ?? '/';
    if (p === '/provisioning' || p.startsWith('/provisioning/')) return this.handleProvisioning(p, req.raw);
    if (p !== SOAP_PATH) {
      const fe = await this.frontEnd.handlePost(p, req.raw);
      if (fe) return fe;
    }
    if (p !== SOAP_PATH) {
      return { status: 404, body: encodeSoapFault('soapenv:Client', `no SOAP service at ${p}; the paForNode endpoint is ${SOAP_PATH}`) };
    }
    const self = (body: El) => this.ecs.get(textOf(body, 'idPA') ?? '');
    return serveSoap(
      {
        interfaces: [paForNode],
        codes: { syntax: 'PAA_SINTASSI_EXTRAXSD', internal: 'PAA_SYSTEM_ERROR' },
        fault: (op, r, body) => this.ko(op, body && self(body), { code: r.code, description: r.description ?? '' }),
        // a missing SOAPAction is tolerated; a mismatch is an extra-XSD syntax error (IF-X-02, IF-A-04)
        soapAction: 'tolerate-missing',
        refuse: (u) =>
          this.garbage(
            u.kind === 'not-soap'
              ? `the request is not a SOAP 1.1 envelope (${u.rule}): ${u.message}`
              : u.kind === 'soap-fault'
                ? 'the SOAP Body holds a Fault, not a paForNode request'
                : `${u.element} is not a request of paForNode`,
          ),
        skip: { schema: this.has('accepts-invalid'), soapAction: this.has('accepts-invalid'), caller: this.has('no-self-check') },
        describe: {
          // (1) syntax (IF-X-15 category 1; IF-X-18, IF-A-04)
          invalid: (errors, { op }) => ({
            code: op.name === 'paDemandPaymentNotice' && errors.every((e) => e.includes("'datiSpecificiServizioRequest'")) ? 'PAA_SINTASSI_XSD' : 'PAA_SINTASSI_EXTRAXSD',
            description: `request not valid against paForNode.xsd: ${errors.join('; ')}`.slice(0, 2000),
          }),
        },
        // (2) callee self-check: is the request addressed to this station? (IF-X-17)
        check: ({ body }) => {
          const idPA = textOf(body, 'idPA');
          const idBrokerPA = textOf(body, 'idBrokerPA');
          const idStation = textOf(body, 'idStation');
          if (idPA !== undefined && !this.ecs.has(idPA)) return { code: 'PAA_ID_DOMINIO_ERRATO', description: `idPA ${idPA} is not served by station ${this.opts.idStation}` };
          if (idBrokerPA !== undefined && idBrokerPA !== this.opts.idBrokerPA) {
            return { code: 'PAA_ID_INTERMEDIARIO_ERRATO', description: `idBrokerPA ${idBrokerPA} is not the broker of this station (${this.opts.idBrokerPA})` };
          }
          if (idStation !== undefined && idStation !== this.opts.idStation) return { code: 'PAA_STAZIONE_INT_ERRATA', description: `idStation ${idStation} is not this station (${this.opts.idStation})` };
          return undefined;
        },
        // an internal failure is still an answer of the operation (IF-X-10: PAA_SYSTEM_ERROR)
        handle: async ({ op, body }) => verbatim(await this.dispatch({ op, body, ec: self(body) ?? this.ecs.get(this.opts.idPA)! })),
      },
      req,
    );
  }

  private async dispatch(ctx: Ctx): Promise<OutgoingSoap> {
    const { op } = ctx;
    switch (op.name) {
      case 'paVerifyPaymentNotice':
        return this.verify(ctx);
      case 'paGetPayment':
      case 'paGetPaymentV2':
        return this.getPayment(ctx, op.name === 'paGetPaymentV2');
      case 'paSendRT':
      case 'paSendRTV2':
        return this.sendRT(ctx, op.name === 'paSendRTV2' ? 2 : 1);
      case 'paDemandPaymentNotice':
        if (this.has('late-demand')) await this.opts.clock.spend(LATE_ANSWER_MS);
        return this.demand(ctx);
      default:
        return this.garbage(`operation ${op.name} is not served`);
    }
  }

  /** Envelope-level failure (IF-X-09, IF-A-04): a SOAP Fault with HTTP 500; never a crash or a hang. */
  private garbage(message: string): OutgoingSoap {
    if (this.has('crash-on-garbage')) return { status: 500, body: CRASH_PAGE };
    return { status: 500, body: encodeSoapFault('soapenv:Client', message) };
  }

  private ok(op: Operation, content: NodeObj): OutgoingSoap {
    return { status: 200, body: encodeEnvelope(op, 'response', { outcome: 'OK', ...content }) };
  }

  /** KO + faultBean with HTTP 200 (IF-X-07, IF-X-09); id = the EC fiscal code (IF-X-11). */
  private ko(op: Operation, ec: ServedEc | undefined, f: Fault): OutgoingSoap {
    const id = this.has('fault-id-broker') ? this.opts.idBrokerPA : (ec?.fiscalCode ?? this.opts.idPA);
    const body = encodeEnvelope(
      op,
      'response',
      ko({ faultCode: f.code, faultString: FAULT_STRINGS[f.code] ?? f.code, id, description: f.description }),
    );
    return { status: this.has('ko-http-500') ? 500 : 200, body };
  }

  private amount(c: Cents): string {
    const s = formatAmount(c);
    return this.has('amount-locale') ? s.replace('.', ',') : s;
  }

  /** Business state → fault (NM-SM-POS; IF-paVerifyPaymentNotice-F74, IF-paGetPayment-F78). */
  private stateFault(p: EcPosition | undefined, fc: string, nn: string, isVerify: boolean): Fault | undefined {
    const notice = `${fc}/${nn}`;
    if (!p) {
      if (this.has('unknown-as-system-error')) return { code: 'PAA_SYSTEM_ERROR', description: `internal error while reading notice ${notice}` };
      return { code: 'PAA_PAGAMENTO_SCONOSCIUTO', description: `notice ${notice} was never issued by EC ${fc}` };
    }
    switch (p.state) {
      case 'payable':
        return undefined;
      case 'paid':
        if (isVerify && this.has('paid-verify-ok')) return undefined;
        return { code: 'PAA_PAGAMENTO_DUPLICATO', description: `notice ${notice} is already paid` };
      case 'expired':
        if (this.has('expired-as-unknown')) return { code: 'PAA_PAGAMENTO_SCONOSCIUTO', description: `notice ${notice} not found` };
        return { code: 'PAA_PAGAMENTO_SCADUTO', description: `notice ${notice} expired (due date ${p.dueDate}) and is no longer payable` };
      case 'cancelled':
        if (this.has('cancelled-as-expired')) return { code: 'PAA_PAGAMENTO_SCADUTO', description: `notice ${notice} is no longer payable` };
        return { code: 'PAA_PAGAMENTO_ANNULLATO', description: `notice ${notice} was cancelled by the EC` };
      case 'in-progress':
        if (this.has('in-progress-ignored')) return undefined;
        return { code: 'PAA_PAGAMENTO_IN_CORSO', description: `a payment of notice ${notice} is in progress at the EC` };
    }
  }

  /** The notice addressed by qrCode, after checking it belongs to the addressed EC. */
  private lookup(ctx: Ctx): { fc: string; nn: string; p?: EcPosition } | Fault {
    const fc = pathText(ctx.body, 'qrCode', 'fiscalCode');
    const nn = pathText(ctx.body, 'qrCode', 'noticeNumber');
    if (!fc || !nn) return { code: 'PAA_PAGAMENTO_SCONOSCIUTO', description: 'qrCode is missing: no notice to look up' };
    if (fc !== ctx.ec.fiscalCode) {
      return { code: 'PAA_SEMANTICA', description: `qrCode.fiscalCode ${fc} differs from idPA ${ctx.ec.fiscalCode}: the notice belongs to another EC` };
    }
    return { fc, nn, p: this.archive.get(fc, nn) };
  }

  private ibanFor(fiscalCodePA: string, stored: string, postal: boolean): string {
    if (!postal) return stored;
    const ec = this.ecs.get(fiscalCodePA);
    const p = ec?.ibans.find(isPostalIban);
    return p ?? stored;
  }

  /** allCCP: every transfer can be credited to a postal account (NM-PSPPAY-PAY-05, IF-paVerifyPaymentNotice-F71). */
  private allCCP(p: EcPosition): boolean {
    if (this.has('allccp-always-true')) return true;
    return p.transfers.every((t) => isPostalIban(t.iban) || !!this.ecs.get(t.fiscalCodePA)?.ibans.some(isPostalIban));
  }

  private wireIban(iban: string): string {
    if (!this.has('bad-iban')) return iban;
    const check = (Number(iban.slice(2, 4)) + 1) % 100;
    return `${iban.slice(0, 2)}${String(check).padStart(2, '0')}${iban.slice(4)}`;
  }

  // ------------------------------------------------------------------ paVerifyPaymentNotice

  private verify(ctx: Ctx): OutgoingSoap {
    const l = this.lookup(ctx);
    if ('code' in l) return this.ko(ctx.op, ctx.ec, l);
    const f = this.stateFault(l.p, l.fc, l.nn, true);
    if (f || !l.p) return this.ko(ctx.op, ctx.ec, f ?? { code: 'PAA_PAGAMENTO_SCONOSCIUTO', description: 'unknown notice' });
    const p = l.p;
    // the debt position stays open during verify (IF-paVerifyPaymentNotice-F72) — unless verify-locks
    if (this.has('verify-locks') && p.state === 'payable') this.archive.setState(p, 'in-progress', 'paVerifyPaymentNotice', this.nowIso());
    return this.ok(ctx.op, {
      paymentList: {
        paymentOptionDescription: {
          amount: this.amount(p.amount),
          options: 'EQ',
          dueDate: p.dueDate,
          detailDescription: p.description.slice(0, 140),
          allCCP: this.allCCP(p),
        },
      },
      paymentDescription: p.description.slice(0, 140),
      fiscalCodePA: this.has('verify-wrong-fiscalcode') ? this.otherFiscalCode(p.fiscalCode) : p.fiscalCode,
      companyName: this.has('verify-missing-company') ? undefined : p.companyName,
      officeName: p.officeName,
    });
  }

  private otherFiscalCode(fc: string): string {
    const sibling = [...this.ecs.keys()].find((k) => k !== fc);
    if (sibling) return sibling;
    if (/^[0-9]{11}$/.test(this.opts.idBrokerPA) && this.opts.idBrokerPA !== fc) return this.opts.idBrokerPA;
    return fc.slice(0, 10) + String((Number(fc[10]) + 1) % 10);
  }

  // ------------------------------------------------------------------ paGetPayment / paGetPaymentV2

  private async getPayment(ctx: Ctx, v2: boolean): Promise<OutgoingSoap> {
    if (this.has('late-answer')) await this.opts.clock.spend(LATE_ANSWER_MS);
    const l = this.lookup(ctx);
    if ('code' in l) return this.ko(ctx.op, ctx.ec, l);
    const f = this.stateFault(l.p, l.fc, l.nn, false);
    if (f || !l.p) return this.ko(ctx.op, ctx.ec, f ?? { code: 'PAA_PAGAMENTO_SCONOSCIUTO', description: 'unknown notice' });
    const p = l.p;
    // The amount the PSP declared (F05) does not bind the EC: its current data prevail (IF-A-16).
    const postal = textOf(ctx.body, 'transferType') === 'POSTAL';
    // a digital-stamp transfer (richiestaMarcaDaBollo instead of IBAN) travels only in V2 (NM-BOLLO-VAL-01)
    const stamp = this.frontEnd.stamps.get(p.noticeNumber);
    if (stamp && !v2) return this.ko(ctx.op, ctx.ec, { code: 'PAA_SEMANTICA', description: `notice ${p.noticeNumber} carries a digital stamp: it is payable only through paGetPaymentV2` });
    const transfers = p.transfers.map((t) => ({
      idTransfer: t.idTransfer,
      transferAmount: this.amount(t.amount),
      fiscalCodePA: t.fiscalCodePA,
      ...(v2 ? { companyName: t.companyName } : {}),
      ...(stamp && stamp.idTransfer === t.idTransfer
        ? { richiestaMarcaDaBollo: { hashDocumento: stamp.hashDocumento, tipoBollo: stamp.tipoBollo, provinciaResidenza: stamp.provinciaResidenza } }
        : { IBAN: this.wireIban(this.ibanFor(t.fiscalCodePA, t.iban, postal)) }),
      remittanceInformation: t.remittanceInformation,
      transferCategory: t.transferCategory,
    }));
    const total = p.amount + (this.has('amount-not-sum') ? 100 : 0);
    const data: NodeObj = {
      creditorReferenceId: p.iuv,
      paymentAmount: this.amount(total),
      dueDate: this.has('drop-due-date') ? undefined : p.dueDate,
      description: p.description.slice(0, 140),
      companyName: v2 && this.has('v2-missing-company') ? undefined : p.companyName,
      officeName: p.officeName,
      debtor: subjectNode(p.debtor),
      transferList: { transfer: transfers },
      metadata: p.metadata ? { mapEntry: Object.entries(p.metadata).map(([key, value]) => ({ key, value })) } : undefined,
    };
    // the position stays open during activation (IF-paGetPayment-F74) — unless getpayment-locks
    if (this.has('getpayment-locks') && p.state === 'payable') this.archive.setState(p, 'in-progress', ctx.op.name, this.nowIso());
    return this.ok(ctx.op, { data });
  }

  // ------------------------------------------------------------------ paSendRT / paSendRTV2

  private sendRT(ctx: Ctx, version: 1 | 2): OutgoingSoap {
    const { op, ec } = ctx;
    const r = child(ctx.body, 'receipt');
    const receiptId = textOf(r, 'receiptId');
    const fc = textOf(r, 'fiscalCode');
    const nn = textOf(r, 'noticeNumber');
    if (!r || !receiptId || !fc || !nn) return this.ko(op, ec, { code: 'PAA_SEMANTICA', description: 'receipt, receiptId, fiscalCode and noticeNumber are needed' });
    const standInText = textOf(r, 'standIn');
    const transfers = childrenNamed(child(r, 'transferList'), 'transfer').map((t) => ({
      idTransfer: Number(textOf(t, 'idTransfer')),
      fiscalCodePA: textOf(t, 'fiscalCodePA') ?? '',
      amount: parseAmount(textOf(t, 'transferAmount')),
      mbd: !!child(t, 'MBDAttachment'),
    }));
    const booking: BookedReceipt = {
      idPA: ec.fiscalCode,
      receiptId,
      fiscalCode: fc,
      noticeNumber: nn,
      creditorReferenceId: textOf(r, 'creditorReferenceId'),
      paymentAmount: parseAmount(textOf(r, 'paymentAmount')),
      standIn: standInText === 'true' || standInText === '1',
      version,
      role: 'issuer',
      transfers,
      idPSP: textOf(r, 'idPSP'),
      paymentDateTime: textOf(r, 'paymentDateTime'),
      bookedAt: this.nowIso(),
      anomalies: [],
    };

    // (4) duplicate message: the same receipt again (IF-paSendRT-F72 a)
    const same = this.archive.receiptsById(ec.fiscalCode, receiptId);
    if (same.length) return this.duplicate(ctx, booking, `receipt ${receiptId} was already acquired at ${same[0]!.bookedAt}`);

    // (5) semantics: receipts are generated only for executed payments (IF-paSendRT-F70, NM-RT-VAL-01)
    const outcome = textOf(r, 'outcome');
    if (outcome !== 'OK') {
      return this.ko(op, ec, { code: 'PAA_SEMANTICA', description: `receipt ${receiptId} has outcome ${outcome}: only executed payments are receipted` });
    }

    if (fc === ec.fiscalCode) {
      const p = this.archive.get(fc, nn);
      if (!p) return this.unknownReceipt(ctx, booking, `notice ${fc}/${nn} was never issued by EC ${fc}`);
      if (p.state === 'paid') {
        const by = this.archive.receiptsForNotice(ec.fiscalCode, fc, nn)[0];
        return this.duplicate(ctx, booking, by ? `position ${fc}/${nn} is already closed by receipt ${by.receiptId}` : `position ${fc}/${nn} is already paid`, p);
      }
      if (booking.paymentAmount !== undefined && booking.paymentAmount !== p.amount) {
        if (this.has('standin-amount-refused')) {
          return this.ko(op, ec, { code: 'PAA_SEMANTICA', description: `receipt amount ${formatAmount(booking.paymentAmount)} differs from the amount due ${formatAmount(p.amount)}` });
        }
        // accepted: a Stand-In receipt may carry the ACA amount (IF-paSendRT-F74, NM-SI-PAY-02)
        booking.anomalies.push(`${booking.standIn ? 'stand-in ' : ''}amount ${formatAmount(booking.paymentAmount)} differs from the amount due ${formatAmount(p.amount)}`);
      }
      if (p.state === 'expired' && this.has('receipt-ko-on-expired')) {
        return this.ko(op, ec, { code: 'PAA_PAGAMENTO_SCADUTO', description: `notice ${fc}/${nn} expired on ${p.dueDate}` });
      }
      // a stamp transfer's MBDAttachment must be the stamp bound to the document's hash (NM-BOLLO-PAY-01)
      const stamp = this.frontEnd.stamps.get(nn);
      if (stamp && version === 2) {
        const mbdEl = childrenNamed(child(r, 'transferList'), 'transfer').map((t) => textOf(t, 'MBDAttachment')).find((x) => x !== undefined);
        if (this.has('mbd-refused') && mbdEl !== undefined) return this.ko(op, ec, { code: 'PAA_SEMANTICA', description: 'unexpected element MBDAttachment in the transfer' });
        const decoded = mbdEl ? Buffer.from(mbdEl, 'base64').toString('utf8') : '';
        if (!decoded.includes(`<DigestValue>${stamp.hashDocumento}</DigestValue>`)) booking.anomalies.push('digital stamp missing or not bound to the document hash');
      }
      if (p.state !== 'payable') booking.anomalies.push(`paid while the position was ${p.state}`);
      if (booking.creditorReferenceId !== undefined && booking.creditorReferenceId !== p.iuv) {
        booking.anomalies.push(`creditorReferenceId ${booking.creditorReferenceId} differs from IUV ${p.iuv}`);
      }
      this.archive.book(booking);
      // the EC closes the position and considers it fully paid (IF-paSendRT-F71)
      if (!this.has('receipt-leaves-open')) this.archive.setState(p, 'paid', `${op.name} ${receiptId}`, booking.bookedAt);
      this.frontEnd.afterPaid(fc, nn);
      return this.ok(op, {});
    }

    // addressed to an EC that did not issue the notice: a beneficiary of some transfer? (NM-MB-RT-01)
    const own = transfers.filter((t) => t.fiscalCodePA === ec.fiscalCode);
    if (!own.length) return this.unknownReceipt(ctx, booking, `EC ${ec.fiscalCode} neither issued notice ${fc}/${nn} nor benefits from any of its transfers`);
    if (this.has('secondary-receipt-unknown')) {
      return this.ko(op, ec, { code: 'PAA_PAGAMENTO_SCONOSCIUTO', description: `notice ${fc}/${nn} is unknown to EC ${ec.fiscalCode}` });
    }
    const prior = this.archive.receiptsForNotice(ec.fiscalCode, fc, nn);
    if (prior.length) return this.duplicate(ctx, { ...booking, role: 'beneficiary', transfers: own }, `notice ${fc}/${nn} was already credited to EC ${ec.fiscalCode} by receipt ${prior[0]!.receiptId}`);
    this.archive.book({ ...booking, role: 'beneficiary', transfers: own });
    return this.ok(op, {});
  }

  /** A receipt already acquired: never booked twice (IF-paSendRT-F72 a, IF-A-28). */
  private duplicate(ctx: Ctx, booking: BookedReceipt, description: string, closed?: EcPosition): OutgoingSoap {
    if (this.has('duplicate-receipt-system-error')) {
      return this.ko(ctx.op, ctx.ec, { code: 'PAA_SYSTEM_ERROR', description: 'unique constraint violated while storing the receipt' });
    }
    if (this.has('duplicate-receipt-rebooked')) {
      this.archive.book({ ...booking, anomalies: [...booking.anomalies, 'booked again'] });
      if (closed) closed.history.push({ at: booking.bookedAt, from: closed.state, to: 'paid', cause: `${ctx.op.name} ${booking.receiptId} (re-booked)` });
      return this.ok(ctx.op, {});
    }
    return this.ko(ctx.op, ctx.ec, { code: 'PAA_RECEIPT_DUPLICATA', description });
  }

  /** A receipt for a notice the EC never issued and does not benefit from (IF-paSendRT-F72 b, IF-A-29). */
  private unknownReceipt(ctx: Ctx, booking: BookedReceipt, description: string): OutgoingSoap {
    if (this.has('receipt-unknown-ok')) {
      this.archive.book({ ...booking, role: 'orphan', anomalies: ['receipt for an unknown notice'] });
      return this.ok(ctx.op, {});
    }
    return this.ko(ctx.op, ctx.ec, { code: 'PAA_PAGAMENTO_SCONOSCIUTO', description });
  }

  // ------------------------------------------------------------------ paDemandPaymentNotice

  private demand(ctx: Ctx): OutgoingSoap {
    const { op, ec, body } = ctx;
    const idServizio = textOf(body, 'idServizio') ?? '';
    const idSoggettoServizio = textOf(body, 'idSoggettoServizio') ?? '';
    const service = this.services.find((s) => s.idServizio === idServizio);
    if (!service) return this.ko(op, ec, { code: 'PAA_SEMANTICA', description: `service ${idServizio} is not offered by EC ${ec.fiscalCode}` });
    if (service.idSoggettoServizio !== idSoggettoServizio) {
      return this.ko(op, ec, { code: 'PAA_SEMANTICA', description: `idSoggettoServizio ${idSoggettoServizio} is not a subject of service ${idServizio}` });
    }
    let quote: DemandQuote;
    try {
      quote = service.quote(readServiceData(service, textOf(body, 'datiSpecificiServizioRequest') ?? ''));
    } catch (e) {
      if (e instanceof ServiceDataError) {
        if (!this.has('demand-ignores-data')) return this.ko(op, ec, { code: 'PAA_SINTASSI_XSD', description: e.message });
        quote = { key: `unchecked|${this.seq}`, amount: 1000, description: service.name, transferCategory: TAXONOMY[0]!, debtor: { type: 'F', id: 'ANONIMO', fullName: 'ANONIMO' } };
      } else if (e instanceof NothingToPayError) {
        return this.ko(op, ec, { code: 'PAA_PAGAMENTO_SCONOSCIUTO', description: e.message });
      } else if (e instanceof NotAcceptableError) {
        return this.ko(op, ec, { code: 'PAA_SEMANTICA', description: e.message });
      } else throw e;
    }
    const key = `${idServizio}|${quote.key}`;
    let p = this.archive.byDemandKey(ec.fiscalCode, key);
    if (p && p.state === 'paid') return this.ko(op, ec, { code: 'PAA_PAGAMENTO_DUPLICATO', description: `${quote.description}: already paid with notice ${p.noticeNumber}` });
    if (!p || p.state !== 'payable') p = this.createDemanded(ec, key, quote);
    // the position is created open and stays open (IF-paDemandPaymentNotice-F70)
    return this.ok(op, {
      qrCode: { fiscalCode: p.fiscalCode, noticeNumber: p.noticeNumber },
      paymentList: {
        paymentOptionDescription: {
          amount: formatAmount(p.amount),
          options: 'EQ',
          dueDate: p.dueDate,
          detailDescription: p.description.slice(0, 140),
          allCCP: this.allCCP(p),
        },
      },
      paymentDescription: p.description.slice(0, 140),
      fiscalCodePA: p.fiscalCode,
      companyName: p.companyName,
      officeName: p.officeName,
    });
  }

  private createDemanded(ec: ServedEc, key: string, q: DemandQuote): EcPosition {
    const now = this.opts.clock.now();
    const noticeNumber = this.freshNotice();
    const iuv = noticeNumber.slice(1);
    const [t] = this.split(ec, iuv, q.amount, 1, q.description);
    const p: EcPosition = {
      fiscalCode: ec.fiscalCode,
      noticeNumber,
      iuv,
      amount: q.amount,
      description: q.description.slice(0, 140),
      companyName: ec.companyName,
      officeName: ec.officeName,
      dueDate: isoDate(now + 30 * 86_400_000),
      debtor: q.debtor,
      transfers: [{ ...t!, transferCategory: q.transferCategory }],
      state: 'payable',
      origin: 'demand',
      demandKey: key,
      createdAt: isoDateTime(now),
      history: [{ at: isoDateTime(now), from: null, to: 'payable', cause: 'paDemandPaymentNotice' }],
    };
    this.archive.put(p);
    return p;
  }

  // ------------------------------------------------------------------ provisioning (HTTP)

  private async handleProvisioning(p: string, raw: string): Promise<OutgoingSoap> {
    // NB: startSoapServer labels every POST answer text/xml; the body here is JSON.
    const json = (status: number, v: unknown): OutgoingSoap => ({ status, type: 'application/json', body: JSON.stringify(v) });
    try {
      if (p === '/provisioning/positions') return json(201, await this.frontEnd.provisionExtended(parseJsonBody(raw) as Record<string, unknown>));
      const one = /^\/provisioning\/positions\/([^/]+)\/([^/]+)$/.exec(p);
      if (one) {
        const updated = this.update(decodeURIComponent(one[1]!), decodeURIComponent(one[2]!), parseJsonBody(raw) as UpdateInput);
        await this.frontEnd.feedAca(updated);
        return json(200, updated);
      }
      return json(404, { error: `no provisioning operation at POST ${p}`, field: null });
    } catch (e) {
      if (e instanceof ProvisioningError) return json(e.status, { error: e.message, field: e.field });
      throw e;
    }
  }
}

// ------------------------------------------------------------------ helpers

function subjectNode(s: Subject): NodeObj {
  return {
    uniqueIdentifier: { entityUniqueIdentifierType: s.type, entityUniqueIdentifierValue: s.id },
    fullName: s.fullName,
    'e-mail': s.email,
  };
}

function preferBank(ibans: string[]): string {
  return ibans.find((i) => !isPostalIban(i)) ?? ibans[0]!;
}

function rescale(p: EcPosition, amount: Cents): void {
  const old = p.amount;
  let rest = amount;
  for (let i = p.transfers.length - 1; i >= 1; i--) {
    const t = p.transfers[i]!;
    t.amount = Math.max(1, Math.floor((t.amount * amount) / old));
    rest -= t.amount;
  }
  if (rest < 1) {
    // degenerate proportions: split evenly instead
    const each = Math.floor(amount / p.transfers.length);
    p.transfers.forEach((t, i) => (t.amount = i === 0 ? amount - each * (p.transfers.length - 1) : each));
  } else p.transfers[0]!.amount = rest;
  p.amount = amount;
  const iuv = p.iuv;
  for (const t of p.transfers) {
    t.remittanceInformation = `/RFB/${iuv}/${formatAmount(t.amount)}/TXT/${p.description}`.slice(0, 140);
  }
}

function receiptJson(r: BookedReceipt): ReceiptJson {
  const { paymentAmount, transfers, ...rest } = r;
  return {
    ...rest,
    paymentAmountCents: paymentAmount,
    transfers: transfers.map((t) => ({ idTransfer: t.idTransfer, fiscalCodePA: t.fiscalCodePA, amountCents: t.amount, mbd: t.mbd })),
    anomalies: [...r.anomalies],
  };
}

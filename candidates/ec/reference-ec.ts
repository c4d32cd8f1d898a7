// The reference EC: one station of an EC broker serving one (or more) ECs on paForNode
// (catalog-new-model-interfaces.md §3), with an archive of debt positions (NM-SM-POS), receipts
// booked per receiptId, a spontaneous-service catalogue, a JSON provisioning adapter and defect
// switches (./defects.ts). Everything it answers validates against xsd/paForNode.xsd unless a
// defect says otherwise. The paForNode primitives are ./new/, what they share ./station.ts, the
// HTTP host ./host.ts, the provisioning adapter ./provisioning-http.ts.
import { isoDate, isoDateTime } from '../../src/core/clock.js';
import { type Cents, formatAmount, isValidIban } from '../../domain/common.js';
import { type IncomingSoap, type OutgoingSoap } from '../../src/wire/http.js';
import { serveSoap, verbatim } from '../../src/wire/soap-endpoint.js';
import { type Operation } from '../../interfaces/index.js';
import { encodeSoapFault } from '../../src/wire/soap.js';
import { type El, textOf } from '../../src/wire/xml.js';
import { paForNode } from '../../interfaces/index.js';
import { Archive, DEFAULT_DEBTOR, type EcPosition } from './archive.js';
import { type EcDefect, isEcDefect } from './defects.js';
import { type ProvisionInput, ProvisioningError, type UpdateInput, validateProvision, validateUpdate } from './provisioning.js';
import { EcFrontEnd } from './frontend.js';
import type { ReferenceEcOptions, ServedEc } from './options.js';
import { type DemandService, defaultServices } from './services.js';
import { EcHost, SOAP_PATH, ecGet } from './host.js';
import { type Ctx, EcStation, type Fault, LATE_ANSWER_MS } from './station.js';
import { type PositionJson, type ReceiptJson, positionJson, receiptJson } from './position-json.js';
import { provisioningPost } from './provisioning-http.js';
import { paVerifyPaymentNotice } from './new/verify.js';
import { paGetPayment } from './new/get-payment.js';
import { paSendRT } from './new/send-rt.js';
import { paDemandPaymentNotice } from './new/demand.js';
import { type NodoLink, OldEc, isOldEcDefect } from './old/index.js';
import type { OldEcDefect } from './old/defects.js';
import { FdrReconciler } from './fdr/reconciler.js';
import { fdrGet, fdrTrigger } from './fdr/hook.js';

export { SOAP_PATH, LATE_ANSWER_MS };
export { FAULT_STRINGS } from './station.js';
export type { ReferenceEcOptions, ServedEc } from './options.js';
export { derivedIban, isPostalIban } from './ibans.js';
export type { PositionJson, ReceiptJson, TransferJson } from './position-json.js';


const CRASH_PAGE =
  '<html><head><title>Error 500 Internal Server Error</title></head><body><h2>HTTP ERROR 500</h2>' +
  '<pre>java.lang.NullPointerException: Cannot invoke "org.w3c.dom.Node.getLocalName()" because "body" is null\n' +
  '\tat it.ente.pagopa.ws.PaForNodeEndpoint.dispatch(PaForNodeEndpoint.java:88)</pre></body></html>';

export class ReferenceEc {
  readonly archive = new Archive();
  readonly defects: ReadonlySet<EcDefect>;
  private readonly ecs = new Map<string, ServedEc>();
  private readonly services: DemandService[];
  /** front end, portal, payment options, ACA/GPD feeding (./frontend.ts) */
  readonly frontEnd: EcFrontEnd;
  /** the old-model (SANP 2.2.6) station on the same server: PaPerNodo, PaPerNodoPagamentoPsp, portal (./old/) */
  readonly old: OldEc;
  /** what the paForNode primitives share (./station.ts) */
  private readonly station: EcStation;
  private readonly host: EcHost;
  /** reconciliation: reads the flows, books their lines, closes code-9 positions (./fdr/) */
  readonly fdr: FdrReconciler;

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
    for (const d of opts.defects ?? []) if (!isEcDefect(d) && !isOldEcDefect(d)) problems.push(`unknown defect ${d}`);
    if (problems.length) throw new Error(`ReferenceEc: ${problems.join('; ')}`);
    this.defects = new Set((opts.defects ?? []).filter(isEcDefect));
    this.ecs.set(opts.idPA, { fiscalCode: opts.idPA, companyName: opts.companyName, officeName: opts.officeName, ibans: opts.ibans });
    for (const s of opts.secondaryEcs ?? []) {
      if (!/^[0-9]{11}$/.test(s.fiscalCode)) throw new Error(`ReferenceEc: secondary EC fiscal code "${s.fiscalCode}" is not 11 digits`);
      if (!s.ibans.length) throw new Error(`ReferenceEc: secondary EC ${s.fiscalCode} needs at least one IBAN`);
      this.ecs.set(s.fiscalCode, s);
    }
    this.services = opts.services ?? defaultServices();
    this.frontEnd = new EcFrontEnd(this, opts.platform ?? {}, (d) => this.defects.has(d));
    this.station = new EcStation(opts, this.defects, this.ecs, this.services, this.archive, this.frontEnd);
    this.old = new OldEc(this, new Set((opts.defects ?? []).filter(isOldEcDefect) as OldEcDefect[]), {
      name: opts.name ?? `ec:${opts.idStation}`, journal: opts.journal, faults: opts.faults, chargeBack: opts.chargeBack, services: this.services,
    });
    if (opts.nodo) this.old.useNodo(opts.nodo);
    this.fdr = new FdrReconciler({ clock: opts.clock, archive: this.archive, idBrokerPA: opts.idBrokerPA, idStation: opts.idStation, name: opts.name ?? `ec:${opts.idStation}`, defects: this.defects });
    this.host = new EcHost(opts, { get: (p) => fdrGet(this.fdr, p) ?? this.oldGet(p) ?? ecGet(this, this.services, p), post: (req) => this.handle(req) });
  }

  get fiscalCode(): string {
    return this.opts.idPA;
  }
  /** ECs this station answers for (idPA values it accepts) */
  get servedEcs(): ServedEc[] {
    return [...this.ecs.values()];
  }
  get url(): string {
    return this.host.baseUrl + SOAP_PATH;
  }
  get baseUrl(): string {
    return this.host.baseUrl;
  }
  /** Old model: the Nodo's NodoPerPa URL and the password the Nodo gave this station. */
  useNodo(link: NodoLink): void {
    this.old.useNodo(link);
  }
  /** Old model: where WISP sends the payer back (the station's returnUrl, I02). */
  get oldReturnUrl(): string {
    return this.host.baseUrl + '/old/ritorno';
  }
  /** Old model: the station's PaPerNodo, PaPerNodoPagamentoPsp and PaPerNodoRichiestaAvvisi endpoints and its portal. */
  get oldUrls(): { paPerNodo: string; paPerNodoPagamentoPsp: string; paPerNodoRichiestaAvvisi: string; portal: string; returnUrl: string } {
    const b = this.host.baseUrl;
    return { paPerNodo: `${b}/PaPerNodo`, paPerNodoPagamentoPsp: `${b}/PaPerNodoPagamentoPsp`, paPerNodoRichiestaAvvisi: `${b}/PaPerNodoRichiestaAvvisi`, portal: `${b}/old/portale`, returnUrl: this.oldReturnUrl };
  }
  private oldGet(rawPath: string): { status: number; type: string; body: string; headers?: Record<string, string> } | undefined {
    const [p = '/', query = ''] = rawPath.split('?', 2);
    return this.old.handleGet(p, query);
  }

  private has(d: EcDefect): boolean {
    return this.defects.has(d);
  }

  // ------------------------------------------------------------------ lifecycle

  async start(): Promise<{ url: string; baseUrl: string }> {
    await this.host.start();
    return { url: this.url, baseUrl: this.baseUrl };
  }

  async stop(): Promise<void> {
    await this.host.stop();
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
    const noticeNumber = this.station.freshNotice();
    const iuv = noticeNumber.slice(1);
    const amount = v.amountCents ?? 12050;
    const dueDate = v.dueDate ?? isoDate(v.state === 'expired' ? now - 86_400_000 : now + 30 * 86_400_000);
    const description = v.description ?? `Avviso ${iuv} - ${issuer.companyName}`.slice(0, 140);
    const transfers = this.station.split(issuer, iuv, amount, v.transfers ?? 1, description, v.secondaryFiscalCode);
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
    return positionJson(p, this.archive);
  }

  /** The position as JSON, with the receipts booked for it; undefined when the EC never issued it. */
  position(fiscalCode: string, noticeNumber: string): PositionJson | undefined {
    const p = this.archive.get(fiscalCode, noticeNumber);
    return p ? positionJson(p, this.archive) : undefined;
  }

  positions(): PositionJson[] {
    return this.archive.all().map((p) => positionJson(p, this.archive));
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
    if (u.state) this.archive.setState(p, u.state, 'provisioning update', this.station.nowIso());
    return positionJson(p, this.archive);
  }

  /** Forgets every position and receipt. */
  clear(): void {
    this.archive.clear();
    this.old.apa.clear();
    this.fdr.clear();
  }

  // ------------------------------------------------------------------ paForNode primitives (./new/)

  private verify(ctx: Ctx): OutgoingSoap {
    return paVerifyPaymentNotice(this.station, ctx);
  }
  private getPayment(ctx: Ctx, v2: boolean): Promise<OutgoingSoap> {
    return paGetPayment(this.station, ctx, v2);
  }
  private sendRT(ctx: Ctx, version: 1 | 2): OutgoingSoap {
    return paSendRT(this.station, ctx, version);
  }
  private demand(ctx: Ctx): OutgoingSoap {
    return paDemandPaymentNotice(this.station, ctx);
  }

  // ------------------------------------------------------------------ HTTP: POST

  private async handle(req: IncomingSoap): Promise<OutgoingSoap> {
    const p = req.path.split('?', 1)[0] ?? '/';
    if (p === '/provisioning' || p.startsWith('/provisioning/')) return this.handleProvisioning(p, req.raw);
    const old = await this.old.handlePost(req);
    if (old) return old;
    if (p === '/collaudo/trigger') {
      // an old-* action is the old-model station's; every other action the front end's
      let body: unknown;
      try {
        body = JSON.parse(req.raw);
      } catch {
        body = undefined;
      }
      const answer = this.old.trigger(body) ?? fdrTrigger(this.fdr, body);
      if (answer) return answer;
    }
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

  private ko(op: Operation, ec: ServedEc | undefined, f: Fault): OutgoingSoap {
    return this.station.ko(op, ec, f);
  }

  private handleProvisioning(p: string, raw: string): Promise<OutgoingSoap> {
    return provisioningPost(this, p, raw);
  }
}

/** The EC changes the amount due: transfers keep their proportions (at least one cent each). */
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

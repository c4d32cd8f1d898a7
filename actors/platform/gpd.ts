// The emulated GPD (Gestione Posizioni Debitorie) and ACA (Archivio Centralizzato Avvisi) of the
// platform: stateful debt positions (DRAFT → PUBLISHED → VALID → PARTIALLY_PAID/PAID, INVALID,
// EXPIRED; catalogue NM-SM-POS), validated against openapi/gpd.json plus the GPD rules (due date ≥
// validity date, Σ transfers = option amount, valid IBANs, unique IUPD/IUV/NAV). For asynchronous
// ECs GPD also answers the Nodo on paForNode (verify, paGetPayment(V2), paSendRT(V2)) from its
// positions, as the platform does for notices it holds: the EC is never called.
import type { Clock } from '../../src/core/clock.js';
import { paForNode } from '../../interfaces/index.js';
import { isoDateTime } from '../../src/core/clock.js';
import type { Journal } from '../../src/core/journal.js';
import { formatAmount, isValidIban } from '../../domain/common.js';
import { type RunningServer, startSoapServer } from '../../src/wire/http.js';
import { type FaultBean, ko } from '../../src/wire/soap.js';
import { type Rejection, serveSoap } from '../../src/wire/soap-endpoint.js';
import type { Operation } from '../../src/wire/contract.js';
import { type El, type NodeObj, child, pathText, textOf } from '../../src/wire/xml.js';
import type { RestRequest, RestResponse } from '../../src/wire/rest/server.js';

export type GpdStatus = 'DRAFT' | 'PUBLISHED' | 'VALID' | 'INVALID' | 'EXPIRED' | 'PARTIALLY_PAID' | 'PAID' | 'REPORTED';

export interface GpdTransfer { idTransfer: string; amount: number; organizationFiscalCode?: string; remittanceInformation: string; category: string; iban?: string }
export interface GpdOption { nav?: string; iuv: string; amount: number; description: string; isPartialPayment: boolean; dueDate: string; transfer: GpdTransfer[]; status?: 'PO_UNPAID' | 'PO_PAID' }
export interface GpdPosition {
  iupd: string; type: 'F' | 'G'; fiscalCode: string; fullName: string; companyName: string; officeName?: string;
  validityDate?: string | null; switchToExpired?: boolean; payStandIn?: boolean; status: GpdStatus; paymentOption: GpdOption[];
}
export interface GpdRecord { organization: string; position: GpdPosition; history: { at: string; status: GpdStatus; cause: string }[] }
export interface AcaRecord { paFiscalCode: string; nav: string; iuv: string; amount: number; status: 'VALID' | 'INVALID'; history: { at: string; amount: number; body: unknown }[] }

const problem = (status: number, detail: string): RestResponse => ({ status, json: { title: status === 409 ? 'Conflict' : status === 404 ? 'Not Found' : 'Bad Request', status, detail } });

export class EmulatedGpd {
  private readonly positions = new Map<string, GpdRecord>();
  private readonly navs = new Map<string, string>();
  private readonly aca = new Map<string, AcaRecord>();
  private soap?: RunningServer;

  constructor(private readonly o: { clock: Clock; journal: () => Journal | undefined; broker: { idBrokerPA: string; idStation: string } }) {}

  // ------------------------------------------------------------------ views for scenarios
  position(organization: string, iupd: string): GpdRecord | undefined { return this.positions.get(`${organization}|${iupd}`); }
  byNav(nav: string): GpdRecord | undefined { const k = this.navs.get(nav); return k ? this.positions.get(k) : undefined; }
  acaRecord(nav: string): AcaRecord | undefined { return this.aca.get(nav); }
  get soapUrl(): string { if (!this.soap) throw new Error('GPD paForNode is not started'); return `${this.soap.url}/gpd-payments/paForNode`; }

  private now(): string { return isoDateTime(this.o.clock.now()); }
  private setStatus(r: GpdRecord, s: GpdStatus, cause: string): void { r.position.status = s; r.history.push({ at: this.now(), status: s, cause }); }

  /** VALID once the validity date is reached; EXPIRED after the due date when switchToExpired. */
  private refresh(r: GpdRecord): GpdRecord {
    const now = this.o.clock.now();
    const p = r.position;
    if (p.status === 'PUBLISHED' && (!p.validityDate || Date.parse(p.validityDate) <= now)) this.setStatus(r, 'VALID', 'validity date reached');
    if (p.status === 'VALID' && p.switchToExpired && p.paymentOption.every((o) => Date.parse(o.dueDate) < now)) this.setStatus(r, 'EXPIRED', 'due date passed');
    return r;
  }

  // ------------------------------------------------------------------ REST
  /** An operation of openapi/gpd.json, its request already valid against the document. */
  async handle(r: RestRequest): Promise<RestResponse> {
    const op = r.operationId;
    if (op === 'paCreatePosition') return this.acaCreate(r);
    const org = r.params['organizationfiscalcode']!;
    if (op === 'createPosition') return this.create(org, r);
    const iupd = r.params['iupd']!;
    const rec = this.positions.get(`${org}|${iupd}`);
    if (!rec) return problem(404, `no debt position ${org}/${iupd}`);
    this.refresh(rec);
    const st = rec.position.status;
    switch (op) {
      case 'getPosition':
        return { status: 200, json: rec.position };
      case 'publishPosition':
        if (st !== 'DRAFT') return problem(409, `position ${iupd} is ${st}: only a DRAFT can be published`);
        this.setStatus(rec, 'PUBLISHED', 'publish');
        this.refresh(rec);
        return { status: 200, json: rec.position };
      case 'invalidatePosition':
        if (st !== 'VALID' && st !== 'PUBLISHED') return problem(409, `position ${iupd} is ${st}: only a PUBLISHED or VALID position can be invalidated`);
        this.setStatus(rec, 'INVALID', 'invalidate');
        return { status: 200, json: rec.position };
      case 'deletePosition':
        if (!['DRAFT', 'PUBLISHED', 'VALID'].includes(st)) return problem(409, `position ${iupd} is ${st}: it cannot be deleted`);
        this.positions.delete(`${org}|${iupd}`);
        for (const o of rec.position.paymentOption) if (o.nav) this.navs.delete(o.nav);
        return { status: 200, json: {} };
      case 'updatePosition': {
        if (!['DRAFT', 'PUBLISHED', 'VALID'].includes(st)) return problem(409, `position ${iupd} is ${st}: a paid or closed position cannot be updated`);
        const v = this.validate(org, r, rec);
        if ('status' in v) return v;
        for (const o of rec.position.paymentOption) if (o.nav) this.navs.delete(o.nav);
        rec.position = { ...v.position, status: st, paymentOption: v.position.paymentOption.map((o) => ({ ...o, status: 'PO_UNPAID' })) };
        for (const o of rec.position.paymentOption) this.navs.set(o.nav!, `${org}|${iupd}`);
        rec.history.push({ at: this.now(), status: st, cause: 'update' });
        return { status: 200, json: rec.position };
      }
      default:
        return problem(404, `no GPD operation ${op}`);
    }
  }

  private validate(org: string, r: RestRequest, existing?: GpdRecord): { position: GpdPosition } | RestResponse {
    const p = structuredClone(r.json) as GpdPosition;
    const errs: string[] = [];
    if (existing && p.iupd !== existing.position.iupd) errs.push(`iupd ${p.iupd} differs from the path's ${existing.position.iupd}`);
    for (const o of p.paymentOption) {
      o.nav ??= `3${o.iuv}`;
      const sum = o.transfer.reduce((s, t) => s + t.amount, 0);
      if (sum !== o.amount) errs.push(`option ${o.iuv}: Σ transfer amounts ${sum} ≠ amount ${o.amount}`);
      if (p.validityDate && Date.parse(o.dueDate) < Date.parse(p.validityDate)) errs.push(`option ${o.iuv}: dueDate ${o.dueDate} is before validityDate ${p.validityDate}`);
      const ids = o.transfer.map((t) => t.idTransfer);
      if (new Set(ids).size !== ids.length) errs.push(`option ${o.iuv}: idTransfer repeated`);
      for (const t of o.transfer) if (t.iban !== undefined && !isValidIban(t.iban)) errs.push(`option ${o.iuv} transfer ${t.idTransfer}: ${t.iban} is not a valid IBAN`);
      if (o.transfer.some((t) => t.iban === undefined)) errs.push(`option ${o.iuv}: every transfer needs an IBAN (stamps are not offered by this GPD)`);
      const owner = this.navs.get(o.nav);
      if (owner && owner !== `${org}|${existing?.position.iupd ?? p.iupd}`) return problem(409, `NAV ${o.nav} is already used by position ${owner}`);
    }
    if (errs.length) return { ...problem(400, errs.join('; ')), verdict: { valid: false, errors: errs } };
    return { position: p };
  }

  private create(org: string, r: RestRequest): RestResponse {
    const v = this.validate(org, r);
    if ('status' in v) return v;
    const p = v.position;
    if (this.positions.has(`${org}|${p.iupd}`)) return problem(409, `IUPD ${p.iupd} already exists for ${org}`);
    const toPublish = r.query.get('toPublish') === 'true';
    const rec: GpdRecord = { organization: org, position: { ...p, status: 'DRAFT', paymentOption: p.paymentOption.map((o) => ({ ...o, status: 'PO_UNPAID' })) }, history: [] };
    rec.history.push({ at: this.now(), status: 'DRAFT', cause: 'create' });
    if (toPublish) { this.setStatus(rec, 'PUBLISHED', 'create toPublish=true'); this.refresh(rec); }
    this.positions.set(`${org}|${p.iupd}`, rec);
    for (const o of rec.position.paymentOption) this.navs.set(o.nav!, `${org}|${p.iupd}`);
    return { status: 201, json: rec.position };
  }

  private acaCreate(r: RestRequest): RestResponse {
    const b = r.json as { paFiscalCode: string; iuv: string; nav?: string; amount: number; iban?: string };
    if (b.iban !== undefined && !isValidIban(b.iban)) return { ...problem(400, `${b.iban} is not a valid IBAN`), verdict: { valid: false, errors: ['iban'] } };
    const nav = b.nav ?? `3${b.iuv}`;
    const rec = this.aca.get(nav) ?? { paFiscalCode: b.paFiscalCode, nav, iuv: b.iuv, amount: b.amount, status: 'VALID' as const, history: [] };
    if (rec.paFiscalCode !== b.paFiscalCode) return problem(409, `NAV ${nav} belongs to ${rec.paFiscalCode}`);
    // amount 0 invalidates (create / update / invalidate through the same idempotent call)
    rec.amount = b.amount;
    rec.status = b.amount === 0 ? 'INVALID' : 'VALID';
    rec.history.push({ at: this.now(), amount: b.amount, body: r.json });
    this.aca.set(nav, rec);
    return { status: 200, json: { ...b, nav, status: rec.status } };
  }

  // ------------------------------------------------------------------ paForNode for GPD-held notices
  async startSoap(): Promise<string> {
    this.soap ??= await startSoapServer({
      interfaces: [paForNode],
      name: 'gpd',
      clock: this.o.clock,
      journal: () => this.o.journal(),
      handle: (req) =>
        serveSoap(
          {
            interfaces: [paForNode],
            codes: { syntax: 'PAA_SINTASSI_EXTRAXSD' },
            fault: (_op, r, b) => gpdFault(r, b),
            // only the Nodo calls GPD, with requests it built and validated itself
            skip: { schema: true },
            handle: ({ op, body }) => this.paForNode(op, body),
          },
          req,
        ),
    });
    return this.soapUrl;
  }
  async stop(): Promise<void> { await this.soap?.close(); this.soap = undefined; }

  private paForNode(op: Operation, b: El): NodeObj {
    const fault = (code: string, description: string) => ko(gpdFault({ code, description }, b));
    if (op.name === 'paSendRT' || op.name === 'paSendRTV2') {
      const nav = pathText(b, 'receipt', 'noticeNumber') ?? '';
      const rec = this.byNav(nav);
      if (!rec) return fault('PAA_PAGAMENTO_SCONOSCIUTO', `NAV ${nav} is not in GPD`);
      const o = rec.position.paymentOption.find((x) => x.nav === nav)!;
      if (o.status === 'PO_PAID') return fault('PAA_RECEIPT_DUPLICATA', `NAV ${nav} already paid`);
      o.status = 'PO_PAID';
      this.setStatus(rec, rec.position.paymentOption.every((x) => x.status === 'PO_PAID') ? 'PAID' : 'PARTIALLY_PAID', `${op.name}`);
      return { outcome: 'OK' };
    }
    const nav = pathText(b, 'qrCode', 'noticeNumber') ?? '';
    const rec = this.byNav(nav);
    if (!rec) return fault('PAA_PAGAMENTO_SCONOSCIUTO', `NAV ${nav} is not in GPD`);
    this.refresh(rec);
    const p = rec.position;
    const o = p.paymentOption.find((x) => x.nav === nav)!;
    if (o.status === 'PO_PAID') return fault('PAA_PAGAMENTO_DUPLICATO', `NAV ${nav} is paid`);
    if (p.status === 'INVALID') return fault('PAA_PAGAMENTO_ANNULLATO', `position ${p.iupd} is INVALID`);
    if (p.status === 'EXPIRED') return fault('PAA_PAGAMENTO_SCADUTO', `position ${p.iupd} is EXPIRED`);
    if (p.status !== 'VALID' && p.status !== 'PARTIALLY_PAID') return fault('PAA_PAGAMENTO_SCONOSCIUTO', `position ${p.iupd} is ${p.status}: not payable`);
    const fc = textOf(b, 'idPA') ?? '';
    if (op.name === 'paVerifyPaymentNotice') {
      return { outcome: 'OK', paymentList: { paymentOptionDescription: { amount: formatAmount(o.amount), options: 'EQ', dueDate: o.dueDate.slice(0, 10), detailDescription: o.description.slice(0, 140), allCCP: false } }, paymentDescription: o.description.slice(0, 140), fiscalCodePA: fc, companyName: p.companyName, officeName: p.officeName };
    }
    const v2 = op.name === 'paGetPaymentV2';
    return {
      outcome: 'OK',
      data: {
        creditorReferenceId: o.iuv, paymentAmount: formatAmount(o.amount), dueDate: o.dueDate.slice(0, 10), description: o.description.slice(0, 140), companyName: p.companyName, officeName: p.officeName,
        debtor: { uniqueIdentifier: { entityUniqueIdentifierType: p.type, entityUniqueIdentifierValue: p.fiscalCode }, fullName: p.fullName },
        transferList: { transfer: o.transfer.map((t) => ({ idTransfer: t.idTransfer, transferAmount: formatAmount(t.amount), fiscalCodePA: t.organizationFiscalCode ?? fc, ...(v2 ? { companyName: p.companyName } : {}), IBAN: t.iban, remittanceInformation: t.remittanceInformation, transferCategory: t.category })) },
      },
    };
  }
}

/** GPD's KO: faultString = code, id = the EC it answers for. */
function gpdFault(r: Rejection, b: El | undefined): FaultBean {
  return { faultCode: r.code, faultString: r.code, id: (b && textOf(b, 'idPA')) ?? '', description: r.description };
}

export { child };

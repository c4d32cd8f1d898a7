// What the old-model station starts at the Nodo (NodoPerPa): the RPT after an activation (P01, TR-13,
// V-15: the activation's PSP and CCP, tipoVersamento PO), carts for WISP (P02, 1..5 RPTs, a fresh
// identificativoCarrello, new CCPs), a single RPT of model 0 (P01), the recovery of an RT it never got
// (P03 then P04), the queries P05/P06, the ER answering a revoca (P13) and the RR of a storno (P12).
import { WISP_PSP } from '../../../domain/registry.js';
import { OLD_RPT_AFTER_ACTIVATION_MS } from '../../../domain/timeouts.js';
import { type NodeObj, child, childrenNamed, textOf } from '../../../src/wire/xml.js';
import type { EcPosition } from '../archive.js';
import type { Attempt, Cart, Revoca } from './archive.js';
import { type Rpt, type Rt, erOf, readRt, rptOf, rptXml, stornoRrOf } from './documents.js';
import { type DatiMarcaBolloDigitale, STAMP_COST_CENTS, type TipoVersamento, documentHash } from '../../../domain/old/index.js';
import { createHash } from 'node:crypto';
import type { NodoAnswer, NodoClient } from './nodo-client.js';
import { decodedDocument, receiveRt } from './rt-endpoint.js';
import type { OldStation } from './station.js';

/** The PSP an EC-started payment names: WISP's identities when the payer chooses on WISP. */
export interface PspIds {
  identificativoPSP: string;
  identificativoIntermediarioPSP: string;
  identificativoCanale: string;
}
export const WISP_IDS: PspIds = { identificativoPSP: WISP_PSP.idPSP, identificativoIntermediarioPSP: WISP_PSP.idBrokerPSP, identificativoCanale: WISP_PSP.idChannel };

/** the late defect's batch run: past the whole time the Nodo waits for the RPT (TR-13) */
export const LATE_RPT_MS = OLD_RPT_AFTER_ACTIVATION_MS + 60_000;

const b64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');
const fault = (a: NodoAnswer) => a.fault ? `${a.fault.faultCode}${a.fault.description ? `: ${a.fault.description}` : ''}` : a.problem;

/** What the portal asks for a digital revenue stamp (old-cart params.stamp): the document it stamps. */
export interface StampRequest {
  document?: string;
  tipoBollo?: string;
  provinciaResidenza?: string;
}

export interface CartResult {
  idCarrello: string;
  esito?: string;
  url?: string;
  idSession?: string;
  /** the Nodo's fault (or why there is no answer), when the cart was refused */
  problem?: string;
}

export class OldPayments {
  private seq = 0;
  /** the stamp each stamp position buys, by idDominio|IUV */
  private readonly stamps = new Map<string, DatiMarcaBolloDigitale>();
  constructor(
    private readonly st: OldStation,
    private readonly nodo: NodoClient,
  ) {}

  private messageId(kind: string): string {
    return `${kind}${this.st.clock.now()}${String(++this.seq).padStart(6, '0')}`.slice(0, 35);
  }

  private rpt(p: EcPosition, ccp: string, tipoVersamento: TipoVersamento, amount?: number, ibanAddebito?: string): { xml: string; doc: Rpt } {
    const stamp = this.stamps.get(`${p.fiscalCode}|${p.iuv}`);
    const doc = rptOf({ position: p, ccp, idStation: this.st.idStation, identificativoMessaggioRichiesta: this.messageId('RPT'), now: this.st.clock.now(), tipoVersamento, amount, stamp, ibanAddebito });
    // the defect credits the stamp to the EC's own account too
    if (stamp && this.st.has('old-stamp-iban')) doc.datiVersamento.datiSingoloVersamento[0]!.ibanAccredito = p.transfers[0]?.iban;
    return { doc, xml: rptXml(doc) };
  }

  /** A new position buying one digital revenue stamp: its cost for the type (L853), the document's SHA-256 (L854). */
  stampPosition(r: StampRequest): EcPosition {
    const tipoBollo = r.tipoBollo ?? '01';
    if (!(tipoBollo in STAMP_COST_CENTS)) throw new Error(`params.stamp.tipoBollo: ${tipoBollo} is not a stamp type pagoPA sells (stTipoBollo: 01)`);
    const provinciaResidenza = r.provinciaResidenza ?? 'RM';
    if (!/^[A-Z]{2}$/.test(provinciaResidenza)) throw new Error(`params.stamp.provinciaResidenza: ${provinciaResidenza} is not a province's two-letter code`);
    const cost = STAMP_COST_CENTS[tipoBollo as keyof typeof STAMP_COST_CENTS] + (this.st.has('old-stamp-amount') ? 200 : 0);
    const j = this.st.ec.provision({ state: 'payable', amountCents: cost, description: 'Marca da bollo digitale' });
    const p = this.st.ec.archive.get(j.fiscalCode, j.noticeNumber)!;
    const document = r.document ?? `Istanza ${p.iuv}`;
    const hashDocumento = this.st.has('old-stamp-hash-hex') ? createHash('sha256').update(document).digest('hex') : documentHash(document);
    this.stamps.set(`${p.fiscalCode}|${p.iuv}`, { tipoBollo: tipoBollo as DatiMarcaBolloDigitale['tipoBollo'], hashDocumento, provinciaResidenza });
    return p;
  }

  private ppt(idDominio: string, iuv: string, ccp: string): NodeObj {
    return { identificativoIntermediarioPA: this.st.idBrokerPA, identificativoStazioneIntermediarioPA: this.st.idStation, identificativoDominio: idDominio, identificativoUnivocoVersamento: iuv, codiceContestoPagamento: ccp };
  }

  // ------------------------------------------------------------------ model 3: the RPT after paaAttivaRPT

  /** Sends the activation's RPT once the paaAttivaRPT answer has left (next turn of the event loop). */
  afterActivation(a: Attempt, track: (p: Promise<unknown>) => void): void {
    if (this.st.has('old-rpt-never-sent')) return;
    track(new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.sendActivationRpt(a)));
  }

  async sendActivationRpt(a: Attempt): Promise<NodoAnswer | undefined> {
    if (this.st.has('old-rpt-late')) await this.st.clock.spend(LATE_RPT_MS);
    const p = this.st.apa.position(a.idDominio, a.iuv);
    if (!p) return undefined;
    const ccp = this.st.has('old-rpt-wrong-ccp') ? this.st.freshCcp() : a.ccp;
    const amount = (a.activatedAmount ?? p.amount) + (this.st.has('old-rpt-amount-differs') ? 100 : 0);
    const rpt = this.rpt(p, ccp, this.st.has('old-rpt-not-po') ? 'BBT' : 'PO', amount);
    return this.sendRpt(a, rpt, { identificativoPSP: a.identificativoPSP ?? '', identificativoIntermediarioPSP: a.identificativoIntermediarioPSP ?? '', identificativoCanale: a.identificativoCanale ?? '' });
  }

  private async sendRpt(a: Attempt, rpt: { xml: string; doc: Rpt }, psp: PspIds): Promise<NodoAnswer> {
    a.rpt = { doc: rpt.doc, xml: rpt.xml, at: this.st.nowIso() };
    a.rptSentAt = a.rpt.at;
    const r = await this.nodo.call('nodoInviaRPT', { password: this.nodo.password(), ...psp, rpt: b64(rpt.xml) }, { idDominio: a.idDominio, iuv: a.iuv, ccp: rpt.doc.datiVersamento.codiceContestoPagamento }, { header: this.ppt(a.idDominio, a.iuv, rpt.doc.datiVersamento.codiceContestoPagamento) });
    a.rptEsito = textOf(r.body, 'esito');
    a.rptFault = a.rptEsito === 'OK' ? undefined : fault(r);
    a.state = a.rptEsito === 'OK' ? 'rpt-sent' : 'rpt-refused';
    return r;
  }

  // ------------------------------------------------------------------ model 0 and carts (EC-started)

  /**
   * Positions for an EC-started payment: the given ones (payable), or new ones of the given amounts,
   * each of the EC `domains[i]` served by the station (default the primary EC) with `transfers`
   * credits (datiSingoloVersamento, 1..5, each its account); a `stamp` adds one more RPT, a stamp's.
   */
  positionsFor(sel: { notices?: { fiscalCode: string; noticeNumber: string }[]; amountsCents?: number[]; domains?: string[]; transfers?: number; stamp?: StampRequest }): EcPosition[] {
    // a stamp is one more RPT of the cart (alone when nothing else is asked)
    if (sel.stamp) {
      const stamp = this.stampPosition(sel.stamp);
      return [...(sel.notices?.length || sel.amountsCents?.length ? this.positionsFor({ ...sel, stamp: undefined }) : []), stamp];
    }
    if (sel.notices?.length) {
      return sel.notices.map((n) => {
        const p = this.st.ec.archive.get(n.fiscalCode, n.noticeNumber);
        if (!p) throw new Error(`notice ${n.fiscalCode}/${n.noticeNumber} is not in the APA`);
        if (p.state !== 'payable') throw new Error(`notice ${n.fiscalCode}/${n.noticeNumber} is not payable (${p.state})`);
        return p;
      });
    }
    const n = Math.max(sel.amountsCents?.length ?? 0, sel.domains?.length ?? 0) || 1;
    const amounts = Array.from({ length: n }, (_, i) => sel.amountsCents?.[i] ?? 12050);
    return amounts.map((c, i) => {
      const j = this.st.ec.provision({ state: 'payable', amountCents: c, description: 'Pagamento dal portale', fiscalCode: sel.domains?.[i], transfers: sel.transfers });
      return this.st.ec.archive.get(j.fiscalCode, j.noticeNumber)!;
    });
  }

  /** A single RPT (model 0, nodoInviaRPT) for one payable position. */
  async single(p: EcPosition, psp: PspIds = WISP_IDS): Promise<{ attempt: Attempt; answer: NodoAnswer }> {
    const ccp = this.st.freshCcp();
    this.st.ec.archive.setState(p, 'in-progress', `nodoInviaRPT ${ccp}`, this.st.nowIso());
    const a = this.st.apa.addAttempt({ idDominio: p.fiscalCode, iuv: p.iuv, ccp, origin: 'rpt', state: 'activated', createdAt: this.st.nowIso(), ...psp });
    const answer = await this.sendRpt(a, this.rpt(p, ccp, 'BBT'), psp);
    if (a.state === 'rpt-refused') this.st.ec.archive.setState(p, 'payable', `RPT refused: ${a.rptFault ?? ''}`, this.st.nowIso());
    return { attempt: a, answer };
  }

  /**
   * A cart of 1..5 RPTs (nodoInviaCarrelloRPT): the positions go In pagamento until an RT or the
   * Nodo's refusal. `multiBeneficiary`: RPTs of several ECs the station serves, paid with one debit
   * (OLD-EC-PAY-07): multiBeneficiario true and the id idDominio+numeroAvviso+"-"+Progressivo(5).
   * `ibanAddebito`: the payer's account under a manleva with the PSP, in every RPT (L1529).
   */
  async cart(positions: EcPosition[], psp: PspIds = WISP_IDS, o: { multiBeneficiary?: boolean; ibanAddebito?: string } = {}): Promise<CartResult> {
    if (positions.length < 1 || positions.length > 5) throw new Error(`a cart holds 1..5 RPTs (TR-22), asked ${positions.length}`);
    const first = positions[0]!;
    if (o.multiBeneficiary && new Set(positions.map((p) => p.fiscalCode)).size < 2) throw new Error('a multi-beneficiary cart holds RPTs of at least two ECs');
    const idCarrello = o.multiBeneficiary ? this.st.freshMbCartId(first.fiscalCode, first.noticeNumber) : this.st.freshCartId(first.fiscalCode);
    const flag = o.multiBeneficiary && !this.st.has('old-mb-flag-missing') ? { multiBeneficiario: true } : {};
    const list = [...positions];
    // the defect splits a stamp-duty line off into a sixth RPT
    if (this.st.has('old-cart-over-5') && list.length === 5) list.push(...this.positionsFor({ amountsCents: [200] }));
    const at = this.st.nowIso();
    const items = list.map((p) => {
      const ccp = this.st.freshCcp();
      this.st.ec.archive.setState(p, 'in-progress', `nodoInviaCarrelloRPT ${idCarrello}`, at);
      const rpt = this.rpt(p, ccp, 'BBT', undefined, this.ibanAddebito(p, o.ibanAddebito));
      const a = this.st.apa.addAttempt({ idDominio: p.fiscalCode, iuv: p.iuv, ccp, origin: 'cart', state: 'activated', createdAt: at, idCarrello, ...psp });
      a.rpt = { doc: rpt.doc, xml: rpt.xml, at };
      a.rptSentAt = at;
      return { a, rpt };
    });
    const cart: Cart = this.st.apa.addCart({ idCarrello, keys: items.map(({ a }) => ({ idDominio: a.idDominio, iuv: a.iuv, ccp: a.ccp })), createdAt: at });
    const r = await this.nodo.call(
      'nodoInviaCarrelloRPT',
      {
        password: this.nodo.password(), ...psp,
        listaRPT: { elementoListaRPT: items.map(({ a, rpt }) => ({ identificativoDominio: a.idDominio, identificativoUnivocoVersamento: a.iuv, codiceContestoPagamento: a.ccp, rpt: b64(rpt.xml) })) },
        ...flag,
      },
      { idDominio: first.fiscalCode, iuv: first.iuv, ccp: items[0]!.a.ccp, idCarrello },
      { header: { identificativoIntermediarioPA: this.st.idBrokerPA, identificativoStazioneIntermediarioPA: this.st.idStation, identificativoCarrello: idCarrello }, invalid: list.length > 5 },
    );
    cart.esito = textOf(r.body, 'esitoComplessivoOperazione');
    cart.url = textOf(r.body, 'url');
    const ok = cart.esito === 'OK' && !!cart.url;
    if (ok) {
      cart.idSession = sessionOf(cart.url!);
      if (cart.idSession) this.st.apa.bindSession(cart.idSession, idCarrello);
      for (const { a } of items) a.state = 'rpt-sent';
    } else {
      const errors = childrenNamed(child(r.body, 'listaErroriRPT'), 'fault').map((f) => `#${textOf(f, 'serial') ?? '?'} ${textOf(f, 'faultCode')}`);
      cart.fault = [fault(r), ...errors].filter(Boolean).join('; ') || `esitoComplessivoOperazione ${cart.esito ?? '(none)'}`;
      for (const { a } of items) {
        a.state = 'rpt-refused';
        a.rptFault = cart.fault;
        const p = this.st.apa.position(a.idDominio, a.iuv);
        if (p && p.state === 'in-progress') this.st.ec.archive.setState(p, 'payable', `cart ${idCarrello} refused`, this.st.nowIso());
      }
    }
    return { idCarrello, esito: cart.esito, url: cart.url, idSession: cart.idSession, problem: ok ? undefined : cart.fault };
  }

  /** The payer's account for a manleva (L1529); the defects forget it, or give the EC's own account. */
  private ibanAddebito(p: EcPosition, asked: string | undefined): string | undefined {
    if (!asked || this.st.has('old-manleva-no-iban-addebito')) return undefined;
    return this.st.has('old-manleva-own-iban') ? p.transfers[0]?.iban : asked;
  }

  // ------------------------------------------------------------------ recovery and queries (P03-P06)

  /** An RT never received: nodoChiediStatoRPT, then nodoChiediCopiaRT; a copy is checked and booked as a delivery. */
  async recoverRt(idDominio: string, iuv: string, ccp: string): Promise<{ stato?: string; booked: boolean; problem?: string }> {
    const q = { ...this.nodo.paIds(), identificativoDominio: idDominio, identificativoUnivocoVersamento: iuv, codiceContestoPagamento: ccp };
    const corr = { idDominio, iuv, ccp };
    const s = await this.nodo.call('nodoChiediStatoRPT', q, corr);
    const stato = textOf(child(s.body, 'esito'), 'stato');
    const c = await this.nodo.call('nodoChiediCopiaRT', q, corr);
    const xml = decodedDocument(textOf(c.body, 'rt'));
    if (!xml) return { stato, booked: false, problem: fault(c) ?? 'no RT in the answer' };
    let rt: Rt;
    try {
      rt = readRt(xml);
    } catch (e) {
      return { stato, booked: false, problem: (e as Error).message };
    }
    const a = this.st.apa.attempt(idDominio, iuv, ccp);
    if (a?.rt && a.rt.doc.identificativoMessaggioRicevuta === rt.identificativoMessaggioRicevuta) return { stato, booked: false, problem: 'the RT is already booked' };
    const f = receiveRt(this.st, corr, rt, xml, 'nodoChiediCopiaRT');
    return { stato, booked: !f, problem: f?.description };
  }

  pending(dimensioneLista = 100, idDominio?: string): Promise<NodoAnswer> {
    return this.nodo.call('nodoChiediListaPendentiRPT', { ...this.nodo.paIds(), identificativoDominio: idDominio, dimensioneLista }, { idDominio });
  }

  informativa(identificativoPSP?: string, idDominio?: string): Promise<NodoAnswer> {
    return this.nodo.call('nodoChiediInformativaPSP', { ...this.nodo.paIds(), identificativoDominio: idDominio, identificativoPSP }, { idDominio });
  }

  // ------------------------------------------------------------------ revoca (ER out) and storno (RR out)

  /** The ER answering an accepted RR, once the paaInviaRichiestaRevoca answer has left. */
  afterRevoca(a: Attempt, r: Revoca, track: (p: Promise<unknown>) => void): void {
    if (this.st.has('old-revoca-no-er')) return;
    track(new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.sendEr(a, r)));
  }

  async sendEr(a: Attempt, r: Revoca): Promise<NodoAnswer> {
    const causale = r.accepted ? (r.tipoRevoca === '1' ? 'Annullo tecnico accettato' : 'Revoca accettata') : 'Revoca rifiutata: servizio già erogato';
    const er = erOf(r.rr.doc, { accepted: r.accepted === true, identificativoMessaggioEsito: this.messageId('ER'), now: this.st.clock.now(), causale });
    r.er = { ...er, at: this.st.nowIso() };
    const res = await this.nodo.call('nodoInviaRispostaRevoca', { ...this.nodo.paIds(), identificativoDominio: a.idDominio, identificativoUnivocoVersamento: a.iuv, codiceContestoPagamento: a.ccp, er: b64(er.xml) }, { idDominio: a.idDominio, iuv: a.iuv, ccp: a.ccp });
    r.nodoEsito = textOf(res.body, 'esito') ?? fault(res);
    return res;
  }

  /** Storno of a paid attempt: an RR through nodoInviaRichiestaStorno. */
  async storno(idDominio: string, iuv: string, ccp: string): Promise<{ esito?: string; problem?: string }> {
    const a = this.st.apa.attempt(idDominio, iuv, ccp);
    const rt = a?.rt?.doc;
    if (!a || !rt) throw new Error(`no RT of EC ${idDominio} for IUV ${iuv} CCP ${ccp}: nothing to reverse`);
    const rr = stornoRrOf(rt, { identificativoMessaggioRevoca: this.messageId('RR'), now: this.st.clock.now(), tipoRevoca: this.st.has('old-storno-tipo-revoca') ? '2' : undefined });
    const r: Revoca = { kind: 'storno', rr: { ...rr, at: this.st.nowIso() }, identificativoMessaggioRevoca: rr.doc.identificativoMessaggioRevoca };
    a.revoche.push(r);
    const res = await this.nodo.call('nodoInviaRichiestaStorno', { ...this.nodo.paIds(), identificativoDominio: idDominio, identificativoUnivocoVersamento: iuv, codiceContestoPagamento: ccp, rr: b64(rr.xml) }, { idDominio, iuv, ccp });
    r.nodoEsito = textOf(res.body, 'esito');
    return { esito: r.nodoEsito, problem: r.nodoEsito === 'OK' ? undefined : fault(res) };
  }
}

/** The idSession query parameter of the WISP URL the Nodo answered. */
export function sessionOf(url: string): string | undefined {
  try {
    return new URL(url).searchParams.get('idSession') ?? undefined;
  } catch {
    return /[?&]idSession=([^&#]+)/.exec(url)?.[1];
  }
}

// What the reference PSP does of its own accord, old model: the RT it builds for an RPT (domain/old
// rtFor, attested by this PSP) and pushes (./rt-push.ts), the payer's choice on its page, the payment
// started at the PSP (modello 3: nodoVerificaRPT, nodoAttivaRPT, the EC's RPT awaited, the RT), the
// revoca it starts (nodoInviaRichiestaRevoca; after the EC's ER to an annullo tecnico the replacing
// RT with forzaControlloSegno 1, L2520) and the ER answering a storno (nodoInviaEsitoStorno).
import type { Clock } from '../../../src/core/clock.js';
import { isoDate } from '../../../src/core/clock.js';
import type { Cents } from '../../../domain/common.js';
import type { PspIds } from '../../../domain/registry.js';
import { OLD_RPT_AFTER_ACTIVATION_MS } from '../../../domain/timeouts.js';
import { type Rpt, type Rt, type TipoRevoca, erFor, erXml, iuvOfNotice, newCcp, rrFor, rrXml, rtFor, rtXml } from '../../../domain/old/index.js';
import type { OldPspArchive, PspCart, PspRpt, PspRt } from './archive.js';
import type { OldPspDefect } from './defects.js';
import type { Notice, OldNodoClient, PaymentKeys } from './nodo-client.js';
import { type Page, backToNodo, noticePage } from './page.js';
import type { RtPusher } from './rt-push.js';

const key = (k: PaymentKeys) => `${k.idDominio}|${k.iuv}|${k.ccp}`;

export interface PaymentsContext {
  clock: Clock;
  ids: PspIds;
  name: string;
  archive: OldPspArchive;
  client: OldNodoClient;
  pusher: RtPusher;
  has(d: OldPspDefect): boolean;
  /** how the PSP answers a storno (./endpoint.ts) */
  storno: 'accept' | 'refuse' | 'unsupported';
  /** on a virtual clock, the real time the PSP waits for the EC's RPT after an activation */
  rptWaitRealMs: number;
  /** how the channel hands RTs to the Nodo (./index.ts OldPspOptions.rtMode) */
  rtMode: 'push' | 'pull';
  track(p: Promise<unknown>): void;
}

/** What a payment at the PSP came to (the trigger's report). */
export interface PspPaymentResult {
  result: 'paid' | 'not-paid' | 'failed';
  keys?: PaymentKeys;
  amountCents?: Cents;
  message: string;
}

/** A payment collected whose RPT never came (OLD-PSP-ERR-08): reported in the FdR with code 9, Tavolo Operativo. */
export interface PaidWithoutRpt extends PaymentKeys {
  amount: Cents;
  verifica: string;
  attivazione: string;
  at: number;
}

export class OldPspPayments {
  /** activations waiting for their RPT (modello 3), by EC|IUV|CCP */
  private readonly activations = new Map<string, { amount: Cents }>();
  readonly withoutRpt: PaidWithoutRpt[] = [];
  private ccpSeq = 0;

  constructor(private readonly c: PaymentsContext) {}

  private now(): number {
    return this.c.clock.now();
  }

  activation(k: PaymentKeys): { amount: Cents } | undefined {
    return this.activations.get(key(k));
  }

  // ------------------------------------------------------------ RTs

  /** The RT for an RPT as this PSP attests it (its identificativoPSP, a BIC-like code: tipo B). */
  rtFor(rpt: Rpt, positive: boolean): Rt {
    const rt = rtFor(rpt, positive ? 'positive' : 'negative', {
      now: this.now(),
      istitutoAttestante: { identificativoUnivocoAttestante: { tipoIdentificativoUnivoco: 'B', codiceIdentificativoUnivoco: this.c.ids.idPSP }, denominazioneAttestante: this.c.name },
    });
    return this.bend(rt, positive);
  }

  /** The defects that make the RT disagree with its RPT. */
  private bend(rt: Rt, positive: boolean): Rt {
    const dp = rt.datiPagamento;
    if (positive && this.c.has('old-rt-amount-differs')) {
      dp.importoTotalePagato += 100;
      if (dp.datiSingoloPagamento?.[0]) dp.datiSingoloPagamento[0].singoloImportoPagato += 100;
    }
    if (this.c.has('old-rt-wrong-iuv')) dp.identificativoUnivocoVersamento = dp.identificativoUnivocoVersamento.replace(/.$/, (d) => (d === '9' ? '0' : /\d/.test(d) ? String(Number(d) + 1) : 'X'));
    if (this.c.has('old-rt-wrong-ccp')) dp.CodiceContestoPagamento = `PSPREF${this.now()}`.slice(0, 35);
    if (this.c.has('old-rt-wrong-dates')) rt.riferimentoDataRichiesta = isoDate(Date.parse(`${rt.riferimentoDataRichiesta}T00:00:00Z`) + 86_400_000);
    return rt;
  }

  /**
   * Archives the RT of an RPT and hands it over: pushed (TR-08 retries, then PULL), or on a PULL
   * channel straight into the PULL queue (TR-09) — but a replacing RT (forzaControlloSegno 1, which
   * only nodoInviaRT carries, L2520) is pushed on either channel.
   */
  issueRt(r: PspRpt, positive: boolean, forzaControlloSegno?: 1): PspRt {
    const rt = this.rtFor(r.rpt, positive);
    const queued = this.c.rtMode === 'pull' && !forzaControlloSegno && !this.c.has('old-pull-pushed');
    const kept: PspRt = { idDominio: r.idDominio, iuv: r.iuv, ccp: r.ccp, rt, xml: rtXml(rt), positive, state: queued ? 'pull' : 'pushing', at: this.now(), forzaControlloSegno };
    this.c.archive.rts.push(kept);
    if (r.progress === 'RPT_RICEVUTA') r.progress = positive ? 'RPT_PAGATA' : 'RPT_NON_PAGATA';
    if (!queued) this.c.pusher.push(kept);
    return kept;
  }

  /** The XML of the k-th send of an RT: the same one every time (a defect rebuilds it). */
  xmlFor(rt: PspRt, k: number): string {
    if (k === 1 || !this.c.has('old-rt-retry-changed')) return rt.xml;
    const rpt = this.c.archive.rpt(rt)?.rpt;
    return rpt ? rtXml(this.rtFor(rpt, rt.positive)) : rt.xml;
  }

  /** After a refused RPT (OLD-PSP-ERR-10): the negative RT built from its identifiers. */
  async negativeRt(r: PspRpt): Promise<void> {
    this.issueRt(r, false);
  }

  /** The RT the payer's choice calls for; the defects that skip it or turn it positive. */
  private afterChoice(r: PspRpt, paid: boolean): void {
    if (paid) return void this.issueRt(r, true);
    if (this.c.has('old-no-negative-rt')) {
      r.progress = 'RPT_NON_PAGATA';
      return;
    }
    this.issueRt(r, this.c.has('old-positive-rt-on-cancel'));
  }

  // ------------------------------------------------------------ the payment page

  /** The payer's choice on the page: 303 back to the Nodo now, the RTs right after (L1505-1509). */
  choose(cartId: string, action: 'paga' | 'annulla', returnUrl: string): Page {
    const cart = this.c.archive.carts.get(cartId);
    if (!cart) return noticePage(404, `Nessun carrello ${cartId} presso questo PSP.`);
    if (cart.state !== 'waiting' || cart.rpts.some((r) => r.progress === 'RPT_ANNULLATA')) return noticePage(409, `Il carrello ${cartId} è già stato concluso.`);
    const paid = action === 'paga';
    cart.state = paid ? 'paid' : 'cancelled';
    const rpts = cart.rpts.map((r) => this.c.archive.rpt(r) ?? r);
    this.c.track(
      (async () => {
        await new Promise<void>((res) => setImmediate(res));
        for (const r of rpts) this.afterChoice(r, paid);
      })(),
    );
    return backToNodo(returnUrl, cartId, paid ? 'OK' : 'KO');
  }

  // ------------------------------------------------------------ modello 2: authorisation managed by the PSP

  /**
   * The modello-2 cart (no page, L1502) that holds the payment `sel` names: by the PSP's
   * identificativoCarrello, or by an RPT's keys (idDominio, IUV, CCP — the CCP may be left out).
   */
  authorisationCart(sel: { idCarrello?: string; idDominio?: string; iuv?: string; ccp?: string }): PspCart | undefined {
    const carts = [...this.c.archive.carts.values()].filter((c) => c.authorisation);
    if (sel.idCarrello) return carts.find((c) => c.id === sel.idCarrello);
    return carts.find((c) => c.rpts.some((r) => r.iuv === sel.iuv && (!sel.idDominio || r.idDominio === sel.idDominio) && (!sel.ccp || r.ccp === sel.ccp)));
  }

  /**
   * The payer authorised (or refused) a modello-2 cart at the PSP, outside pagoPA (home banking, app;
   * a manleva: at once): the account is debited once for the cart and an RT per RPT is pushed (L1527).
   */
  async authorise(cartId: string, paid = true): Promise<PspPaymentResult> {
    const cart = this.c.archive.carts.get(cartId);
    if (!cart?.authorisation) return { result: 'failed', message: `no cart ${cartId} awaiting an authorisation at this PSP` };
    if (cart.state !== 'waiting') return { result: 'failed', message: `the cart ${cartId} is already ${cart.state}` };
    cart.state = paid ? 'paid' : 'cancelled';
    const rpts = cart.rpts.map((r) => this.c.archive.rpt(r) ?? r);
    const cents = rpts.reduce((n, r) => n + r.rpt.datiVersamento.importoTotaleDaVersare, 0);
    const first = rpts[0]!;
    const keys = { idDominio: first.idDominio, iuv: first.iuv, ccp: first.ccp };
    if (paid && this.c.has('old-auth-rt-never-pushed')) {
      for (const r of rpts) r.progress = 'RPT_PAGATA';
      return { result: 'paid', keys, amountCents: cents, message: `cart ${cartId} authorised` };
    }
    for (const r of rpts) this.afterChoice(r, paid);
    return paid ? { result: 'paid', keys, amountCents: cents, message: `cart ${cartId} authorised${cart.authorisation === 'manleva' ? ' under the manleva (ibanAddebito)' : ''}: ${rpts.length} positive RT(s) sent` } : { result: 'not-paid', keys, message: `cart ${cartId}: the payer refused the authorisation, negative RT(s) sent` };
  }

  // ------------------------------------------------------------ modello 3: payment at the PSP

  /**
   * A notice paid at the PSP (OLD-PSP-PAY-01..04, ERR-02..08): verify (unless `verify` false), then
   * activate with the amount the EC gives (re-activating once with datiPagamentoPA's amount after
   * PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO, stopping on any other refusal), then wait for the EC's RPT,
   * then collect (`authorise`) or not, and push the RT. `verifyOnly`: the payer declines after verifying.
   */
  async payAtPsp(notice: Notice, o: { verify?: boolean; verifyOnly?: boolean; authorise?: boolean; printedCents?: Cents }): Promise<PspPaymentResult> {
    const iuv = iuvOfNotice(notice.noticeNumber);
    if (!iuv) return { result: 'failed', message: `noticeNumber ${notice.noticeNumber} names no IUV` };
    let ccp = newCcp(this.now(), ++this.ccpSeq, 'PSP');
    let amount = o.printedCents;
    let verifica = 'not done';
    if (o.verify !== false || o.verifyOnly) {
      const v = await this.c.client.verify(notice, ccp);
      verifica = !v.usable ? 'TimeOut' : v.esito === 'OK' ? 'OK' : `NOT OK ${describe(v.fault)}`;
      if (!v.usable) return { result: 'failed', message: `nodoVerificaRPT: ${v.problem}` };
      if (v.esito !== 'OK') return { result: 'not-paid', message: `nodoVerificaRPT ${verifica}` };
      // the EC's amount prevails over the printed one (L1707)
      amount = v.importo ?? amount;
      if (o.verifyOnly && !this.c.has('old-verify-only-activates')) return { result: 'not-paid', message: 'verified only: the payer declined' };
    }
    if (amount === undefined) return { result: 'failed', message: 'no amount to activate: neither printed nor verified' };
    let keys: PaymentKeys = { idDominio: notice.fiscalCode, iuv, ccp };
    // registered before the call: the EC's RPT may reach us before the activation's answer does
    this.activations.set(key(keys), { amount });
    let a = await this.c.client.activate(notice, amount, ccp);
    const original = a.fault?.originalFaultCode;
    if (a.usable && a.esito !== 'OK' && original === 'PAA_ATTIVA_RPT_IMPORTO_NON_VALIDO' && a.importo !== undefined) {
      amount = this.c.has('old-amount-not-corrected') ? amount : a.importo;
      this.activations.set(key(keys), { amount });
      a = await this.c.client.activate(notice, amount, ccp);
    } else if (a.usable && a.esito !== 'OK' && this.c.has('old-activate-after-refusal')) {
      this.activations.delete(key(keys));
      ccp = newCcp(this.now(), ++this.ccpSeq, 'PSP');
      keys = { ...keys, ccp };
      this.activations.set(key(keys), { amount });
      a = await this.c.client.activate(notice, amount, ccp);
    }
    const attivazione = !a.usable ? 'TimeOut' : a.esito === 'OK' ? 'OK' : `NOT OK ${describe(a.fault)}`;
    if (!a.usable || a.esito !== 'OK') {
      this.activations.delete(key(keys));
      return { result: a.usable ? 'not-paid' : 'failed', keys, message: `nodoAttivaRPT ${a.usable ? attivazione : a.problem}` };
    }
    amount = a.importo ?? amount;
    const rpt = await this.c.archive.waitRpt(keys, this.c.clock.virtual ? this.c.rptWaitRealMs : OLD_RPT_AFTER_ACTIVATION_MS);
    this.activations.delete(key(keys));
    if (!rpt) {
      // TR-13 "in tempi utili": the PSP collected after the activation; no RT can be built (L1980-1983)
      this.withoutRpt.push({ ...keys, amount, verifica, attivazione, at: this.now() });
      return { result: o.authorise === false ? 'not-paid' : 'paid', keys, amountCents: amount, message: `no RPT came after the activation: payment to report in the FdR with code 9, Tavolo Operativo (verifica ${verifica}, attivazione ${attivazione})` };
    }
    if (rpt.progress === 'RPT_RIFIUTATA') return { result: 'not-paid', keys, message: 'the RPT was refused: negative RT sent' };
    const paid = o.authorise !== false;
    this.afterChoice(rpt, paid);
    return paid ? { result: 'paid', keys, amountCents: rpt.rpt.datiVersamento.importoTotaleDaVersare, message: 'paid, RT sent' } : { result: 'not-paid', keys, message: 'the payer did not authorise: negative RT' };
  }

  // ------------------------------------------------------------ revoca and storno

  hasRt(k: PaymentKeys): boolean {
    return this.c.archive.rt(k) !== undefined;
  }

  /** nodoInviaRichiestaRevoca for an RT of this PSP: annullo tecnico (1) or charge-back (2). */
  async revoca(k: PaymentKeys, tipoRevoca: TipoRevoca): Promise<{ esito?: string; faultCode?: string; problem?: string }> {
    const rt = this.c.archive.rt(k);
    if (!rt) throw new Error(`no RT of this PSP for ${k.idDominio}, IUV ${k.iuv}, CCP ${k.ccp}`);
    // a negative RT paid nothing: the annullo revokes what the payer was charged, the RPT's amounts (AT-02)
    const rpt = this.c.archive.rpt(k)?.rpt;
    const importi = rt.positive || !rpt ? undefined : rpt.datiVersamento.datiSingoloVersamento.map((s) => s.importoSingoloVersamento);
    const rr = rrFor(rt.rt, { now: this.now(), tipoRevoca: this.c.has('old-revoca-without-tipo') ? undefined : tipoRevoca, importi });
    const kept = { ...k, rr, sentAt: this.now() } as (typeof this.c.archive.revoche)[number];
    this.c.archive.revoche.push(kept);
    const r = await this.c.client.requestRevoca(k, rrXml(rr));
    kept.esito = r.usable ? r.esito : undefined;
    kept.faultCode = r.fault?.faultCode;
    return { esito: kept.esito, faultCode: kept.faultCode, problem: r.usable ? undefined : r.problem };
  }

  /** After the EC's ER to an annullo tecnico it accepted: the replacing RT with the opposite outcome, forzaControlloSegno 1 (L2520). */
  async afterEr(k: PaymentKeys): Promise<void> {
    const revoca = this.c.archive.revoca(k);
    const rt = this.c.archive.rt(k);
    const r = this.c.archive.rpt(k);
    if (!revoca?.er || !rt || !r || revoca.rr.datiRevoca.tipoRevoca !== '1') return;
    if (revoca.er.datiRevoca.importoTotaleRevocato <= 0 || this.c.has('old-annullo-no-replacing-rt')) return;
    this.issueRt(r, !rt.positive, 1);
  }

  /** The ER answering a storno that came: accepted (what the RR asks) or refused (0.00), by the PSP's policy. */
  async esitoStorno(k: PaymentKeys): Promise<void> {
    const s = this.c.archive.storno(k);
    if (!s) return;
    const er = erFor(s.rr, { now: this.now(), outcome: this.c.storno === 'refuse' ? 'refused' : 'accepted' });
    if (this.c.has('old-er-wrong-codes')) {
      const first = er.datiRevoca.datiSingolaRevoca[0]!;
      first.identificativoUnivocoRiscossione = `X${first.identificativoUnivocoRiscossione}`.slice(0, 35);
      first.singoloImportoRevocato += 100;
      er.datiRevoca.importoTotaleRevocato += 100;
    }
    s.er = er;
    const r = await this.c.client.sendEsitoStorno(k, erXml(er));
    s.esito = r.usable ? r.esito : undefined;
  }
}

const describe = (f: { faultCode: string; originalFaultCode?: string } | undefined) => (f ? `${f.faultCode}${f.originalFaultCode ? `/${f.originalFaultCode}` : ''}` : '');

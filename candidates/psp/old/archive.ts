// What the reference PSP keeps of the old model: the RPTs the Nodo forwarded (a refused RPT after an
// activation stays, as RPT_RIFIUTATA), its carts, the RTs it built with their push and PULL state, its activations (modello 3),
// the revoca RRs it sent and the ERs that came, the storno RRs that came and its ERs. Waits are
// event-based with the caller's deadline.
import { EventEmitter } from 'node:events';
import type { Er, Rpt, Rr, Rt } from '../../../domain/old/index.js';
import type { PaymentKeys } from './nodo-client.js';

/** An RPT's progress at the PSP (pspChiediAvanzamentoRPT's value). */
export type RptProgress = 'RPT_RICEVUTA' | 'RPT_RIFIUTATA' | 'RPT_PAGATA' | 'RPT_NON_PAGATA' | 'RPT_ANNULLATA' | 'RT_INVIATA' | 'RT_IN_CODA_PULL' | 'RT_CONSEGNATA' | 'RT_RIFIUTATA';

export interface PspRpt extends PaymentKeys {
  rpt: Rpt;
  xml: string;
  via: 'pspInviaRPT' | 'pspInviaCarrelloRPT';
  modelloPagamento?: number;
  cartId?: string;
  at: number;
  progress: RptProgress;
}

/** Where one RT stands: pushed (with retries), in the PULL queue, acknowledged by the Nodo. */
export type RtState = 'pushing' | 'delivered' | 'refused' | 'pull' | 'acked' | 'rejected' | 'dropped';

export interface PspRt extends PaymentKeys {
  rt: Rt;
  /** the XML the PSP sends (and re-sends unchanged) */
  xml: string;
  positive: boolean;
  state: RtState;
  /** the Nodo's last fault on push, or the RJCT reason */
  reason?: string;
  /** 1: a replacing RT after an annullo tecnico (L2520) */
  forzaControlloSegno?: 1;
  at: number;
}

export interface PspCart {
  id: string;
  rpts: PspRpt[];
  state: 'waiting' | 'paid' | 'cancelled';
  /** a cart on the modello-2 channel: no page, the payer authorises at the PSP (L1502, L1525-1529) */
  authorisation?: 'awaited' | 'manleva';
}

/** A revoca the PSP started (its RR) and the EC's ER when it came. */
export interface PspRevoca extends PaymentKeys {
  rr: Rr;
  sentAt: number;
  esito?: string;
  faultCode?: string;
  er?: Er;
}

/** A storno that came (the EC's RR) and the PSP's ER. */
export interface PspStorno extends PaymentKeys {
  rr: Rr;
  at: number;
  er?: Er;
  esito?: string;
}

const same = (a: PaymentKeys, b: PaymentKeys) => a.idDominio === b.idDominio && a.iuv === b.iuv && a.ccp === b.ccp;

export class OldPspArchive {
  readonly rpts: PspRpt[] = [];
  readonly carts = new Map<string, PspCart>();
  readonly rts: PspRt[] = [];
  readonly revoche: PspRevoca[] = [];
  readonly storni: PspStorno[] = [];
  private readonly events = new EventEmitter();
  private readonly waits = new Set<(r: PspRpt | undefined) => void>();
  private stopped = false;
  private seq = 0;

  constructor() {
    this.events.setMaxListeners(0);
  }

  rpt(k: PaymentKeys): PspRpt | undefined {
    return this.rpts.find((r) => same(r, k));
  }

  keepRpt(r: PspRpt): void {
    this.rpts.push(r);
    this.events.emit('rpt', r);
  }

  /** The latest RT for these keys (a replacing RT comes after the revoked one). */
  rt(k: PaymentKeys): PspRt | undefined {
    for (let i = this.rts.length - 1; i >= 0; i--) if (same(this.rts[i]!, k)) return this.rts[i];
    return undefined;
  }

  /** RTs waiting in the PULL queue, oldest first. */
  pullQueue(): PspRt[] {
    return this.rts.filter((r) => r.state === 'pull');
  }

  newCartId(idDominio: string, now: number): string {
    // Anno(4) + idDominio(11) + a progressive, at most 35 characters
    return `${new Date(now).getUTCFullYear()}${idDominio}${String(now % 1e9).padStart(9, '0')}${String(++this.seq).padStart(4, '0')}`.slice(0, 35);
  }

  revoca(k: PaymentKeys): PspRevoca | undefined {
    for (let i = this.revoche.length - 1; i >= 0; i--) if (same(this.revoche[i]!, k)) return this.revoche[i];
    return undefined;
  }

  storno(k: PaymentKeys): PspStorno | undefined {
    return this.storni.find((s) => same(s, k));
  }

  /**
   * Resolves with the RPT of these keys as soon as it is kept (already, or later); undefined after
   * `realMs` of real time, or once the PSP stops (`stopWaits`).
   */
  waitRpt(k: PaymentKeys, realMs: number): Promise<PspRpt | undefined> {
    const now = this.rpt(k);
    if (now || this.stopped) return Promise.resolve(now);
    return new Promise((resolve) => {
      const end = (r: PspRpt | undefined) => {
        clearTimeout(timer);
        this.events.off('rpt', check);
        this.waits.delete(end);
        resolve(r);
      };
      // TR-13's wait is a payment token's lifetime (30 min): a stopping PSP does not sit it out
      const timer = setTimeout(() => end(undefined), realMs);
      const check = (r: PspRpt) => {
        if (same(r, k)) end(r);
      };
      this.events.on('rpt', check);
      this.waits.add(end);
    });
  }

  /** The PSP stops: every RPT still waited for is given up now (its timer cleared), and any later wait at once. */
  stopWaits(): void {
    this.stopped = true;
    for (const end of [...this.waits]) end(undefined);
  }
}

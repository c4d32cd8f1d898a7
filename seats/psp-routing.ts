// Routing of the PSP seat's shared Nodo traffic to the scenario that owns it (issue 14, item 11).
// Every exchange is charged to the scenario that owns one of its keys (notice number, payment
// token, idempotency key), never to "whichever scenario is current": scenarios may run side by
// side on the real clock. Traffic whose keys nobody owns goes to a run-level "unattributed" journal
// that is kept and reported. Traffic that carries no key at all (nodoChiediCatalogoServiziV2,
// demandPaymentNotice) belongs to the scenario holding a "keyless claim" on that primitive: a claim
// names the service data the scenario asked the PSP to send (datiSpecificiServizio), so demands with
// different data run side by side; claims that could match the same message are taken in turn.
// When scenarios run one at a time (virtual clock, a person at a prompt), a message with no known
// key goes to the one scenario running: nothing else can have caused it. A late message for a scenario that
// has already ended is kept in the unattributed journal with its owner named, never given to
// another scenario.
import { Journal, JournalEntry, type Correlation } from '../src/core/journal.js';
import { Faults } from '../src/core/faults.js';
import { HarnessFault } from '../src/core/scenario.js';
import { decodeEnvelope, correlationOf } from '../interfaces/index.js';
import type { Clock } from '../src/core/clock.js';
import { textOf, type El, type NodeObj } from '../src/wire/xml.js';

export type Intercept = (op: string, body: El, proceed: () => Promise<NodeObj>) => Promise<NodeObj>;

/** Exchange numbers unique across the run's journals (an exchange may be routed at record time). */
class Exchanges {
  private n = 1;
  next(): number {
    return this.n++;
  }
}

/** Journal whose inbound entries from an unnamed client are the candidate PSP's. */
export class PspJournal extends Journal {
  readonly watchers = new Set<(e: JournalEntry) => void>();
  constructor(clock: Clock, private readonly exchanges: Exchanges = new Exchanges()) {
    super(clock);
  }
  override newExchange(): number {
    return this.exchanges.next();
  }
  override record(e: Parameters<Journal['record']>[0]): JournalEntry {
    const from = e.from === 'client' ? 'psp' : e.from;
    const to = e.to === 'client' ? 'psp' : e.to;
    const full = super.record({ ...e, from, to });
    for (const w of this.watchers) w(full);
    return full;
  }
}

export interface Slot {
  id: string;
  journal: PspJournal;
  faults: Faults;
  intercept?: Intercept;
  closed: boolean;
  /** where traffic for this scenario goes once it has ended */
  late: Journal;
}

/** Primitives whose requests carry no notice number, token or idempotency key. */
export const KEYLESS_BY_ACTION: Partial<Record<string, string[]>> = {
  'service-catalogue': ['nodoChiediCatalogoServiziV2'],
  'pay-spontaneous': ['demandPaymentNotice', 'paDemandPaymentNotice'],
  // a flow's upload (SOAP) and its FdR 3 steps name no payment key: the reporting scenarios take turns
  'fdr-report': ['nodoInviaFlussoRendicontazione', 'nodoChiediStatoFlussoRendicontazione', 'nodoChiediStatoElaborazioneFlussoRendicontazione', 'createFlow', 'addPayments', 'deletePayments', 'publishFlow', 'deleteFlow', 'listCreatedFlows', 'getCreatedFlow', 'getCreatedFlowPayments', 'listPublishedFlows', 'getPublishedFlow', 'getPublishedFlowPayments'],
};

const hasKeys = (c: Correlation): boolean => !!(c.noticeNumber || c.paymentToken || c.idempotencyKey);

/** A scenario's claim on keyless traffic: these primitives, carrying this service data (if named). */
interface Claim {
  slot: Slot;
  primitives: string[];
  data?: string;
}

/** The service data (datiSpecificiServizio, decoded) a message body carries. */
function dataOfBody(body: El | undefined): string | undefined {
  const b64 = textOf(body, 'datiSpecificiServizio');
  return b64 ? Buffer.from(b64.replace(/\s+/g, ''), 'base64').toString('utf8').trim() : undefined;
}
function dataOfRaw(raw: string): string | undefined {
  const d = decodeEnvelope(raw, { validate: false });
  return d.ok ? dataOfBody(d.msg.body) : undefined;
}

export class PspRouter {
  private readonly exchanges = new Exchanges();
  private readonly byKey = new Map<string, Slot>();
  /** traffic no scenario owns, and late traffic of scenarios that had ended */
  readonly unattributed: PspJournal;
  private claims: Claim[] = [];
  private waiters: (() => void)[] = [];

  private readonly open = new Set<Slot>();

  /** `sequential`: scenarios run one at a time, so the one running owns what no key names */
  constructor(private readonly clock: Clock, private readonly sequential = false) {
    this.unattributed = new PspJournal(clock, this.exchanges);
  }

  /** The one scenario running, when scenarios run one at a time. */
  private sole(): Slot | undefined {
    return this.sequential && this.open.size === 1 ? [...this.open][0] : undefined;
  }

  slot(id: string): Slot {
    const journal = new PspJournal(this.clock, this.exchanges);
    const unattributed = this.unattributed;
    const exchanges = this.exchanges;
    const late = new (class extends Journal {
      override newExchange(): number {
        return exchanges.next();
      }
      override record(e: Parameters<Journal['record']>[0]): JournalEntry {
        return unattributed.record({ ...e, note: `late: scenario ${id} had ended${e.note ? `; ${e.note}` : ''}` });
      }
    })(this.clock);
    const s: Slot = { id, journal, faults: new Faults(), closed: false, late };
    this.open.add(s);
    // keys seen in this scenario's traffic become its keys: tokens and idempotency keys, and the
    // notice numbers and tokens the Nodo's answers name (e.g. the qrCode a demand returns)
    journal.watchers.add((e) => {
      for (const k of [e.correlation.paymentToken, e.correlation.idempotencyKey]) if (k && !this.byKey.has(k)) this.byKey.set(k, s);
      if (e.direction === 'response' && e.raw) {
        const d = decodeEnvelope(e.raw, { validate: false });
        if (d.ok) {
          const c = correlationOf(d.msg.body);
          for (const k of [c.noticeNumber, c.paymentToken]) if (k && !this.byKey.has(k)) this.byKey.set(k, s);
        }
      }
    });
    return s;
  }

  /** Routes the traffic with this key to `s`; a key another running scenario owns is a harness fault. */
  own(s: Slot, key: string): void {
    const o = this.byKey.get(key);
    if (o && o !== s && !o.closed) throw new HarnessFault(`key ${key} is already owned by scenario ${o.id}`);
    this.byKey.set(key, s);
  }

  ownerOf(c: Correlation): Slot | undefined {
    for (const k of [c.noticeNumber, c.paymentToken, c.idempotencyKey]) {
      const s = k ? this.byKey.get(k) : undefined;
      if (s) return s;
    }
    return undefined;
  }

  /** The journal an exchange with this correlation is recorded in. */
  journal(c: Correlation): Journal {
    const o = this.ownerOf(c);
    if (o) return o.closed ? o.late : o.journal;
    const sole = this.sole();
    if (sole) return sole.journal;
    if (hasKeys(c)) return this.unattributed;
    // no key: decided at record time, by primitive and service data; the answer follows its request
    const router = this;
    const exchanges = this.exchanges;
    let target: Journal | undefined;
    return new (class extends Journal {
      override newExchange(): number {
        return exchanges.next();
      }
      override record(e: Parameters<Journal['record']>[0]): JournalEntry {
        target ??= router.claimant(e.primitive, () => dataOfRaw(e.raw))?.journal ?? router.unattributed;
        return target.record(e);
      }
    })(this.clock);
  }

  faults(c: Correlation): Faults | undefined {
    const o = this.ownerOf(c) ?? this.sole();
    if (o || hasKeys(c)) return o?.faults;
    // a keyless request: only when one scenario claims keyless traffic at all
    const open = new Set(this.claims.map((x) => x.slot));
    return open.size === 1 ? [...open][0]!.faults : undefined;
  }

  /** The faults of the scenario claiming a keyless primitive (the FdR 3 server names no operation to the router). */
  claimedFaults(primitive: string): Faults | undefined {
    return this.claimant(primitive, () => undefined)?.faults;
  }

  intercept(op: string, c: Correlation, body?: El): Intercept | undefined {
    return (this.ownerOf(c) ?? this.sole() ?? (hasKeys(c) ? undefined : this.claimant(op, () => dataOfBody(body))))?.intercept;
  }

  private claimant(primitive: string | undefined, data: () => string | undefined): Slot | undefined {
    if (!primitive) return undefined;
    const cands = this.claims.filter((x) => x.primitives.includes(primitive));
    if (cands.length === 0) return undefined;
    if (cands.every((x) => x.data === undefined)) return cands[0]!.slot;
    const d = data();
    return cands.find((x) => x.data === undefined || x.data === d?.trim())?.slot;
  }

  /**
   * Claims the keyless traffic of `primitives` carrying `data` (any data when undefined); waits
   * while a running scenario holds a claim that could match the same message.
   */
  async claim(s: Slot, primitives: string[], data?: string): Promise<void> {
    const want: Claim = { slot: s, primitives, data: data?.trim() };
    const clash = () =>
      this.claims.some((x) => x.slot !== s && x.primitives.some((p) => primitives.includes(p)) && (x.data === undefined || want.data === undefined || x.data === want.data));
    while (clash()) await new Promise<void>((r) => this.waiters.push(r));
    this.claims.push(want);
  }

  close(s: Slot): void {
    s.closed = true;
    this.open.delete(s);
    if (!this.claims.some((x) => x.slot === s)) return;
    this.claims = this.claims.filter((x) => x.slot !== s);
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }
}

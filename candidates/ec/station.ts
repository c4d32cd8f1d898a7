// What the reference EC's paForNode primitives (./new/) share: the ECs the station serves, its
// defect switches, archive and services, and the rules every answer follows (OK and KO envelopes,
// notice state → fault, notice numbering, the split of an amount into transfers, IBAN choice).
import { type Clock, isoDateTime } from '../../src/core/clock.js';
import { type Cents, type NoticeState, type Transfer, formatAmount, noticeAux3 } from '../../domain/common.js';
import { noticeStateFault } from '../../domain/notice-state.js';
import type { Operation } from '../../interfaces/index.js';
import type { OutgoingSoap } from '../../src/wire/http.js';
import { encodeEnvelope, ko } from '../../src/wire/soap.js';
import { type El, type NodeObj, pathText } from '../../src/wire/xml.js';
import type { Archive, EcPosition } from './archive.js';
import type { EcDefect } from './defects.js';
import type { EcFrontEnd } from './frontend.js';
import { allPostal, derivedIban, isPostalIban, preferBank, transferIban, wrongCheckDigits } from './ibans.js';
import type { DemandService } from './services.js';
import type { ServedEc } from './options.js';

export type { ServedEc } from './options.js';

/** how late the `late-answer` defect answers paGetPayment(V2): past the Nodo's 7 s (IF-X-13) */
export const LATE_ANSWER_MS = 8000;

/** An EC served by the station besides the primary one (multi-EC broker, secondary beneficiaries). */

export type Fault = { code: string; description: string };

/** One paForNode request past the syntax and self checks. */
export interface Ctx {
  op: Operation;
  body: El;
  /** the EC the request is for (a served idPA; the primary EC when no-self-check ignores a foreign one) */
  ec: ServedEc;
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
export const TAXONOMY = ['0101101IM', '0101102IM', '0201101TS', '0301109TS', '0101108TS'];
const SECONDARY_TAXONOMY = '0201102TS';

/** The station's identity (a subset of ReferenceEcOptions). */
interface StationIds {
  clock: Clock;
  idPA: string;
  idBrokerPA: string;
  idStation: string;
  segregationCode: string;
}

export class EcStation {
  /** per-instance counter of notice numbers (and of unchecked demands) */
  seq = 0;

  constructor(
    readonly opts: StationIds,
    readonly defects: ReadonlySet<EcDefect>,
    readonly ecs: ReadonlyMap<string, ServedEc>,
    readonly services: DemandService[],
    readonly archive: Archive,
    /** stamps of digital-stamp transfers, and what the EC does once a notice is paid */
    readonly frontEnd: EcFrontEnd,
  ) {}

  has(d: EcDefect): boolean {
    return this.defects.has(d);
  }
  nowIso(): string {
    return isoDateTime(this.opts.clock.now());
  }

  // ------------------------------------------------------------------ positions

  freshNotice(): string {
    // 13-digit IUV base: clock seconds and a per-instance counter, skipping numbers in use. The base
    // never starts with 9: harnesses build "never issued" notices from 9-prefixed bases.
    for (;;) {
      const base = (Math.floor(this.opts.clock.now() / 1000) % 90_000_000) * 100_000 + (this.seq++ % 100_000);
      const n = noticeAux3(this.opts.segregationCode, String(base).padStart(13, '0'));
      if (!this.archive.noticeTaken(n)) return n;
    }
  }

  /** `amount` in `n` transfers to the issuer's bank accounts; the last one to `secondary` when given. */
  split(issuer: ServedEc, iuv: string, amount: Cents, n: number, description: string, secondary?: string): Transfer[] {
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

  // ------------------------------------------------------------------ answers

  ok(op: Operation, content: NodeObj): OutgoingSoap {
    return { status: 200, body: encodeEnvelope(op, 'response', { outcome: 'OK', ...content }) };
  }

  /** KO + faultBean with HTTP 200 (IF-X-07, IF-X-09); id = the EC fiscal code (IF-X-11). */
  ko(op: Operation, ec: ServedEc | undefined, f: Fault): OutgoingSoap {
    const id = this.has('fault-id-broker') ? this.opts.idBrokerPA : (ec?.fiscalCode ?? this.opts.idPA);
    const body = encodeEnvelope(
      op,
      'response',
      ko({ faultCode: f.code, faultString: FAULT_STRINGS[f.code] ?? f.code, id, description: f.description }),
    );
    return { status: this.has('ko-http-500') ? 500 : 200, body };
  }

  amount(c: Cents): string {
    const s = formatAmount(c);
    return this.has('amount-locale') ? s.replace('.', ',') : s;
  }

  // ------------------------------------------------------------------ notices

  /** The notice addressed by qrCode, after checking it belongs to the addressed EC. */
  lookup(ctx: Ctx): { fc: string; nn: string; p?: EcPosition } | Fault {
    const fc = pathText(ctx.body, 'qrCode', 'fiscalCode');
    const nn = pathText(ctx.body, 'qrCode', 'noticeNumber');
    if (!fc || !nn) return { code: 'PAA_PAGAMENTO_SCONOSCIUTO', description: 'qrCode is missing: no notice to look up' };
    if (fc !== ctx.ec.fiscalCode) {
      return { code: 'PAA_SEMANTICA', description: `qrCode.fiscalCode ${fc} differs from idPA ${ctx.ec.fiscalCode}: the notice belongs to another EC` };
    }
    return { fc, nn, p: this.archive.get(fc, nn) };
  }

  /** Business state → fault (NM-SM-POS; IF-paVerifyPaymentNotice-F74, IF-paGetPayment-F78), as the defects bend it. */
  stateFault(p: EcPosition | undefined, fc: string, nn: string, isVerify: boolean): Fault | undefined {
    const notice = `${fc}/${nn}`;
    const fault = (state: NoticeState, description: string): Fault => ({ code: noticeStateFault(state)!, description });
    if (!p) {
      if (this.has('unknown-as-system-error')) return { code: 'PAA_SYSTEM_ERROR', description: `internal error while reading notice ${notice}` };
      return fault('unknown', `notice ${notice} was never issued by EC ${fc}`);
    }
    switch (p.state) {
      case 'payable':
        return undefined;
      case 'paid':
        if (isVerify && this.has('paid-verify-ok')) return undefined;
        return fault('paid', `notice ${notice} is already paid`);
      case 'expired':
        if (this.has('expired-as-unknown')) return fault('unknown', `notice ${notice} not found`);
        return fault('expired', `notice ${notice} expired (due date ${p.dueDate}) and is no longer payable`);
      case 'cancelled':
        if (this.has('cancelled-as-expired')) return fault('expired', `notice ${notice} is no longer payable`);
        return fault('cancelled', `notice ${notice} was cancelled by the EC`);
      case 'in-progress':
        if (this.has('in-progress-ignored')) return undefined;
        return fault('in-progress', `a payment of notice ${notice} is in progress at the EC`);
    }
  }

  // ------------------------------------------------------------------ IBANs

  /** The IBAN on the wire for a transfer (postal for Poste when the beneficiary has one). */
  wireIban(fiscalCodePA: string, stored: string, postal: boolean): string {
    const iban = transferIban(this.ecs, fiscalCodePA, stored, postal);
    return this.has('bad-iban') ? wrongCheckDigits(iban) : iban;
  }

  /** allCCP (NM-PSPPAY-PAY-05, IF-paVerifyPaymentNotice-F71). */
  allCCP(p: EcPosition): boolean {
    return this.has('allccp-always-true') || allPostal(this.ecs, p);
  }
}

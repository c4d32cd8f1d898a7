// The EC's archive of debt positions (NM-SM-POS) and of the receipts it booked (IF-paSendRT-F71/F72).
// Keyed by (fiscalCode, noticeNumber); receipts by (addressed EC, receiptId).
import type { Cents, DebtPosition, PositionState, Subject } from '../../domain/common.js';

export interface StateChange {
  at: string;
  from: PositionState | null;
  to: PositionState;
  cause: string;
}

export interface EcPosition extends DebtPosition {
  origin: 'provisioning' | 'demand';
  createdAt: string;
  /** for positions created by paDemandPaymentNotice: the service and the debt they identify */
  demandKey?: string;
  history: StateChange[];
}

export interface BookedReceipt {
  /** the EC the receipt was addressed to (idPA of paSendRT) */
  idPA: string;
  receiptId: string;
  fiscalCode: string;
  noticeNumber: string;
  creditorReferenceId?: string;
  paymentAmount?: Cents;
  standIn: boolean;
  version: 1 | 2;
  /** issuer: the EC closed its own position; beneficiary: a secondary EC booked its transfers */
  role: 'issuer' | 'beneficiary' | 'orphan';
  /** transfers credited to the addressed EC */
  transfers: { idTransfer: number; fiscalCodePA: string; amount?: Cents; mbd: boolean }[];
  idPSP?: string;
  paymentDateTime?: string;
  bookedAt: string;
  /** what the EC noticed and handles outside the protocol (refunds, differences) */
  anomalies: string[];
}

const pkey = (fc: string, nn: string) => `${fc}|${nn}`;

export class Archive {
  private readonly positions = new Map<string, EcPosition>();
  /** notice numbers in use, whatever the EC (a notice number is unique across the station) */
  private readonly noticeNumbers = new Set<string>();
  private readonly receipts: BookedReceipt[] = [];

  get(fiscalCode: string, noticeNumber: string): EcPosition | undefined {
    return this.positions.get(pkey(fiscalCode, noticeNumber));
  }

  has(fiscalCode: string, noticeNumber: string): boolean {
    return this.positions.has(pkey(fiscalCode, noticeNumber));
  }

  /** Notice numbers are unique per station (segregation code), whatever the EC: IUV uniqueness. */
  noticeTaken(noticeNumber: string): boolean {
    return this.noticeNumbers.has(noticeNumber);
  }

  put(p: EcPosition): void {
    this.positions.set(pkey(p.fiscalCode, p.noticeNumber), p);
    this.noticeNumbers.add(p.noticeNumber);
  }

  all(): EcPosition[] {
    return [...this.positions.values()];
  }

  byDemandKey(fiscalCode: string, key: string): EcPosition | undefined {
    for (const p of this.positions.values()) if (p.fiscalCode === fiscalCode && p.demandKey === key) return p;
    return undefined;
  }

  setState(p: EcPosition, to: PositionState, cause: string, at: string): void {
    if (p.state === to) return;
    p.history.push({ at, from: p.state, to, cause });
    p.state = to;
  }

  book(r: BookedReceipt): void {
    this.receipts.push(r);
  }

  /** bookings of this receiptId at this EC */
  receiptsById(idPA: string, receiptId: string): BookedReceipt[] {
    return this.receipts.filter((r) => r.idPA === idPA && r.receiptId === receiptId);
  }

  /** bookings at this EC for this notice */
  receiptsForNotice(idPA: string, fiscalCode: string, noticeNumber: string): BookedReceipt[] {
    return this.receipts.filter((r) => r.idPA === idPA && r.fiscalCode === fiscalCode && r.noticeNumber === noticeNumber);
  }

  /** every booking that concerns the notice, at any EC of the station */
  receiptsOfNotice(fiscalCode: string, noticeNumber: string): BookedReceipt[] {
    return this.receipts.filter((r) => r.fiscalCode === fiscalCode && r.noticeNumber === noticeNumber);
  }

  allReceipts(): BookedReceipt[] {
    return [...this.receipts];
  }

  clear(): void {
    this.positions.clear();
    this.noticeNumbers.clear();
    this.receipts.length = 0;
  }
}

export const DEFAULT_DEBTOR: Subject = { type: 'F', id: 'RSSMRA80A01H501U', fullName: 'Mario Rossi', email: 'mario.rossi@example.org' };

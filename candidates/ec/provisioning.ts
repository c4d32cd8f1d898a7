// Validation of the provisioning adapter's JSON bodies (POST /provisioning/positions and
// POST /provisioning/positions/<fiscalCode>/<noticeNumber>): every error names its field.
import { POSITION_STATES, type PositionState } from '../../domain/common.js';

export class ProvisioningError extends Error {
  constructor(
    message: string,
    readonly field: string | null,
    readonly status = 400,
  ) {
    super(message);
  }
}

export interface ProvisionInput {
  state: PositionState;
  amountCents?: number;
  /** number of transfers, 1..5; the amount is split among them, transfer 1 credits the issuing EC */
  transfers?: number;
  /** the last transfer credits this EC (multi-beneficiary); needs transfers >= 2 */
  secondaryFiscalCode?: string;
  /** YYYY-MM-DD */
  dueDate?: string;
  description?: string;
  /** payment-level metadata echoed by the Nodo in the receipt (≤ 15 entries) */
  metadata?: Record<string, string>;
  /** which EC served by the station issues the notice (default: the station's primary EC) */
  fiscalCode?: string;
}

export interface UpdateInput {
  state?: PositionState;
  amountCents?: number;
}

export const MAX_CENTS = 99_999_999_999;

const PROVISION_FIELDS = ['state', 'amountCents', 'transfers', 'secondaryFiscalCode', 'dueDate', 'description', 'metadata', 'fiscalCode'];
const UPDATE_FIELDS = ['state', 'amountCents'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function parseJsonBody(raw: string): unknown {
  if (raw.trim() === '') throw new ProvisioningError('the request body is empty: a JSON object was expected', null);
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw new ProvisioningError(`the request body is not valid JSON: ${(e as Error).message}`, null);
  }
}

function checkState(v: unknown): PositionState {
  if (typeof v !== 'string' || !(POSITION_STATES as string[]).includes(v)) {
    throw new ProvisioningError(`state must be one of ${POSITION_STATES.join(', ')}; found ${JSON.stringify(v)}`, 'state');
  }
  return v as PositionState;
}

function checkAmount(v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_CENTS) {
    throw new ProvisioningError(`amountCents must be an integer number of cents between 1 and ${MAX_CENTS}; found ${JSON.stringify(v)}`, 'amountCents');
  }
  return v;
}

export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function validateProvision(body: unknown): ProvisionInput {
  if (!isObject(body)) throw new ProvisioningError('the body must be a JSON object', null);
  for (const k of Object.keys(body)) {
    if (!PROVISION_FIELDS.includes(k)) throw new ProvisioningError(`unknown field ${k}; allowed: ${PROVISION_FIELDS.join(', ')}`, k);
  }
  if (!('state' in body)) throw new ProvisioningError('state is required', 'state');
  const out: ProvisionInput = { state: checkState(body.state) };
  if (body.amountCents !== undefined) out.amountCents = checkAmount(body.amountCents);
  if (body.transfers !== undefined) {
    const t = body.transfers;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > 5) {
      throw new ProvisioningError(`transfers must be an integer between 1 and 5; found ${JSON.stringify(t)}`, 'transfers');
    }
    out.transfers = t;
  }
  if (body.secondaryFiscalCode !== undefined) {
    const s = body.secondaryFiscalCode;
    if (typeof s !== 'string' || !/^[0-9]{11}$/.test(s)) {
      throw new ProvisioningError(`secondaryFiscalCode must be an EC fiscal code of 11 digits; found ${JSON.stringify(s)}`, 'secondaryFiscalCode');
    }
    out.secondaryFiscalCode = s;
  }
  if (body.fiscalCode !== undefined) {
    const s = body.fiscalCode;
    if (typeof s !== 'string' || !/^[0-9]{11}$/.test(s)) {
      throw new ProvisioningError(`fiscalCode must be an EC fiscal code of 11 digits; found ${JSON.stringify(s)}`, 'fiscalCode');
    }
    out.fiscalCode = s;
  }
  if (body.dueDate !== undefined) {
    const d = body.dueDate;
    if (typeof d !== 'string' || !isIsoDate(d)) throw new ProvisioningError(`dueDate must be a date YYYY-MM-DD; found ${JSON.stringify(d)}`, 'dueDate');
    out.dueDate = d;
  }
  if (body.description !== undefined) {
    const d = body.description;
    if (typeof d !== 'string' || d.trim().length < 1 || d.length > 140) {
      throw new ProvisioningError('description must be a non-blank string of at most 140 characters', 'description');
    }
    out.description = d;
  }
  if (body.metadata !== undefined) {
    const m = body.metadata;
    if (!isObject(m)) throw new ProvisioningError('metadata must be an object of string values', 'metadata');
    const entries = Object.entries(m);
    if (entries.length < 1 || entries.length > 15) throw new ProvisioningError(`metadata must have 1..15 entries; found ${entries.length}`, 'metadata');
    for (const [k, v] of entries) {
      if (k.length < 1 || k.length > 140 || typeof v !== 'string' || v.length < 1 || v.length > 140) {
        throw new ProvisioningError(`metadata.${k}: keys and values are strings of 1..140 characters`, `metadata.${k}`);
      }
    }
    out.metadata = Object.fromEntries(entries) as Record<string, string>;
  }
  const n = out.transfers ?? 1;
  if (out.secondaryFiscalCode !== undefined && n < 2) {
    throw new ProvisioningError('secondaryFiscalCode needs transfers >= 2 (transfer 1 always credits the issuing EC)', 'secondaryFiscalCode');
  }
  if (out.amountCents !== undefined && out.amountCents < n) {
    throw new ProvisioningError(`amountCents ${out.amountCents} cannot be split into ${n} transfers of at least 1 cent`, 'amountCents');
  }
  return out;
}

export function validateUpdate(body: unknown): UpdateInput {
  if (!isObject(body)) throw new ProvisioningError('the body must be a JSON object', null);
  for (const k of Object.keys(body)) {
    if (!UPDATE_FIELDS.includes(k)) throw new ProvisioningError(`unknown field ${k}; allowed: ${UPDATE_FIELDS.join(', ')}`, k);
  }
  const out: UpdateInput = {};
  if (body.state !== undefined) out.state = checkState(body.state);
  if (body.amountCents !== undefined) out.amountCents = checkAmount(body.amountCents);
  if (out.state === undefined && out.amountCents === undefined) throw new ProvisioningError('nothing to update: give state and/or amountCents', null);
  return out;
}

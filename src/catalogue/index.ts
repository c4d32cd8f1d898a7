// Requirements as data (ids, per-seat levels, conditions, needs) and coverage by scenarios.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Seat } from '../core/model.js';

export interface Requirement {
  id: string;
  title: string;
  catalogue: 'flows' | 'interfaces' | 'old';
  /** the payment model whose contract it belongs to: 'new' (SANP 3.x), 'old' (SANP 2.2.6 RPT/RT) */
  model: string;
  area: string;
  operation?: string;
  /** per seat: MUST, SHOULD, MAY, MAY-if-offered; INFO (fault code row) and READING (ambiguity row) are not judged */
  levels: Record<string, string>;
  condition: string | null;
  needs: string[];
  note?: string;
  /** old model, organisational ids: the party the duty is on and its level (reported as DECLARED, never judged) */
  declare?: Record<string, string>;
  /** old model: the primitives (P-ids), fault codes, timing rules (TR-*) and ambiguities (A-*) the id names */
  primitives?: string[];
  faults?: string[];
  timing?: string[];
  ambiguities?: string[];
}
export interface RequirementData {
  source: string;
  snapshot: string;
  sanpVersion: string;
  requirements: Requirement[];
}

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'requirements.json');
let cache: RequirementData | undefined;
export function catalogue(): RequirementData {
  cache ??= JSON.parse(readFileSync(file, 'utf8')) as RequirementData;
  return cache;
}
const fileIt = path.join(path.dirname(fileURLToPath(import.meta.url)), 'requirements.it.json');
let cacheIt: Record<string, string> | undefined;
/** A requirement's title in Italian (the certificate's Italian view), undefined when not translated. */
export function titleIt(id: string): string | undefined {
  cacheIt ??= JSON.parse(readFileSync(fileIt, 'utf8')) as Record<string, string>;
  return cacheIt[id];
}

export function requirement(id: string): Requirement | undefined {
  return catalogue().requirements.find((r) => r.id === id);
}
export function levelFor(id: string, seat: Seat): string | undefined {
  return requirement(id)?.levels[seat];
}

/** The specification each payment model's requirements come from. */
const SANP_BY_MODEL: Record<string, string> = { new: 'SANP 3.x (3.0.0–3.10.0)', old: 'SANP 2.2.6 (old model)' };

/** The specifications a certificate of these models judges against. */
export function sanpVersionOf(models: readonly string[]): string {
  return models.map((m) => SANP_BY_MODEL[m] ?? `model ${m}`).join('; ') || catalogue().sanpVersion;
}

/** Reconciliation is a later issue: FdR ids, ids needing fdr, and the FdR KPI. */
export function isReconciliation(r: Requirement): boolean {
  return r.id.includes('-FDR-') || r.needs.includes('fdr') || r.id === 'NM-SLA-KPI-03';
}

/**
 * Requirements judged for a seat (MUST, SHOULD, MAY, MAY-if-offered), excluding INFO/READING rows;
 * with `models`, only those of the payment models listed (a profile certifies the models it lists).
 */
export function seatRequirements(seat: Seat, models?: readonly string[]): Requirement[] {
  return catalogue().requirements.filter((r) => ['MUST', 'SHOULD', 'MAY', 'MAY-if-offered'].includes(r.levels[seat] ?? '') && (!models || models.includes(r.model)));
}

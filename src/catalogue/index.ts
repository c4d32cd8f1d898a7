// Requirements as data (ids, per-seat levels, conditions, needs) and coverage by scenarios.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Seat } from '../core/model.js';

export interface Requirement {
  id: string;
  title: string;
  catalogue: 'flows' | 'interfaces';
  area: string;
  operation?: string;
  /** per seat: MUST, SHOULD, MAY, MAY-if-offered; INFO (fault code row) and READING (ambiguity row) are not judged */
  levels: Record<string, string>;
  condition: string | null;
  needs: string[];
  note?: string;
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
export function requirement(id: string): Requirement | undefined {
  return catalogue().requirements.find((r) => r.id === id);
}
export function levelFor(id: string, seat: Seat): string | undefined {
  return requirement(id)?.levels[seat];
}

/** Reconciliation is a later issue: FdR ids, ids needing fdr, and the FdR KPI. */
export function isReconciliation(r: Requirement): boolean {
  return r.id.includes('-FDR-') || r.needs.includes('fdr') || r.id === 'NM-SLA-KPI-03';
}

/** Requirements judged for a seat (MUST, SHOULD, MAY, MAY-if-offered), excluding INFO/READING rows. */
export function seatRequirements(seat: Seat): Requirement[] {
  return catalogue().requirements.filter((r) => ['MUST', 'SHOULD', 'MAY', 'MAY-if-offered'].includes(r.levels[seat] ?? ''));
}

// Requirement data from the shared indexes (index-new-model-flows.json, -interfaces.json,
// index-old-model.json): one entry per id with its per-seat levels and the payment model it belongs
// to. Used by the importer and by the test that checks the committed requirements.json is fresh.
import type { Requirement } from './index.js';

export type RawIndex = Record<string, Record<string, unknown>>;

export function buildRequirements(flows: RawIndex, ifs: RawIndex, old: RawIndex = {}): Requirement[] {
  const out: Requirement[] = [];
  for (const [id, e] of Object.entries(flows)) {
    if (id.startsWith('_')) continue;
    out.push({
      id,
      title: String(e.title),
      catalogue: 'flows',
      model: 'new',
      area: String(e.area ?? ''),
      levels: e.levels as Record<string, string>,
      condition: (e.condition as string | null) ?? null,
      needs: (e.needs as string[]) ?? [],
      note: e.note ? String(e.note) : undefined,
    });
  }
  for (const [id, e] of Object.entries(ifs)) {
    if (id.startsWith('_')) continue;
    // split-level rows carry `levels`; the others one `level` for every seat they judge
    const seats = (e.seats as string[]) ?? [];
    out.push({
      id,
      title: String(e.summary ?? ''),
      catalogue: 'interfaces',
      model: 'new',
      area: String(e.interface ?? 'cross-cutting'),
      operation: (e.operation as string | null) ?? undefined,
      levels: (e.levels as Record<string, string>) ?? Object.fromEntries(seats.map((s) => [s, String(e.level)])),
      condition: null,
      needs: [],
      note: e.note ? String(e.note) : undefined,
    });
  }
  for (const [id, e] of Object.entries(old)) {
    if (id.startsWith('_')) continue;
    const list = (k: string): string[] => (e[k] as { id?: string }[] | string[] | undefined ?? []).map((x) => (typeof x === 'string' ? x : String(x.id)));
    out.push({
      id,
      title: String(e.title),
      catalogue: 'old',
      model: 'old',
      area: String(e.area ?? ''),
      levels: (e.levels as Record<string, string>) ?? {},
      condition: (e.condition as string | null) ?? null,
      needs: (e.needs as string[]) ?? [],
      note: e.note ? String(e.note) : undefined,
      // organisational ids (OLD-ONB-*) certify no seat: the party the duty is on and its level, reported as DECLARED
      declare: (e.declare as Record<string, string> | undefined) ?? undefined,
      primitives: list('primitives'),
      faults: list('faults'),
      timing: list('timing'),
      ambiguities: list('ambiguities'),
    });
  }
  return out;
}

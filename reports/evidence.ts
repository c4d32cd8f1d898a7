// Evidence naming shared by the scenario runner (which fills Check.evidence) and the report writer
// (which writes the files). Paths are relative to the output folder and always use '/'.
import type { JournalEntry } from '../src/core/journal.js';

/** Characters kept in a path segment; anything else becomes '_' (ids and primitives are ASCII anyway). */
function segment(s: string): string {
  const clean = s.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return clean.length ? clean : '_';
}

/** `evidence/journal/<scenarioId>.json`: the scenario's redacted journal. */
export function journalPath(scenarioId: string): string {
  return `evidence/journal/${segment(scenarioId)}.json`;
}

/**
 * `evidence/journal/<scenarioId>/<seq padded 3>-<direction>-<primitive or 'unknown'>.xml`: one entry's
 * redacted raw message, e.g. `evidence/journal/EC-PAY-01/003-response-paGetPayment.xml`.
 * Entries with an empty raw body get no file (the reference then appears in the report's warnings).
 */
export function evidencePath(scenarioId: string, e: Pick<JournalEntry, 'seq' | 'direction' | 'primitive'>): string {
  const seq = String(e.seq).padStart(3, '0');
  return `evidence/journal/${segment(scenarioId)}/${seq}-${e.direction}-${segment(e.primitive || 'unknown')}.xml`;
}

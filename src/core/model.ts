// Shapes shared by the verdict engine, the scenario runner, the reports and the CLI.
// The JSON shapes read by outside tools are fixed in DESIGN.md ("Verdicts, exit codes and
// machine-readable outputs"); fields beyond those are ours.
import type { JournalEntry } from './journal.js';
import type { LedgerFlow, LedgerReceipt } from './ledger.js';

export type Verdict = 'PASS' | 'WARNING' | 'FAIL' | 'INCONCLUSIVE' | 'NOT_APPLICABLE' | 'ERROR';
export const VERDICTS: Verdict[] = ['PASS', 'WARNING', 'FAIL', 'INCONCLUSIVE', 'NOT_APPLICABLE', 'ERROR'];
/**
 * A check's outcome: a verdict, or NOT_EXERCISED when its subject did not occur or a step it depends on
 * failed earlier (DESIGN.md, verdict). NOT_EXERCISED never counts as coverage and never blocks.
 */
export type CheckVerdict = Verdict | 'NOT_EXERCISED';
/** Verdicts of checks that judged their requirement (coverage counts only these). */
export const JUDGING: CheckVerdict[] = ['PASS', 'WARNING', 'FAIL'];

/** Level of a requirement for the certified seat (catalogue reading guide). */
export type Level = 'MUST' | 'SHOULD' | 'MAY' | 'MAY-if-offered';
export type Seat = 'ec' | 'psp' | 'nodo';

export interface Check {
  /** stable id within the scenario, e.g. `answer-schema` (declared in the scenario's `checks`) */
  id: string;
  title: string;
  /** the title in Italian (absent in certificates of earlier versions) */
  titleIt?: string;
  /** the requirement ids this check judged (a subset of those its definition is bound to) */
  requirements: string[];
  /** MUST → FAIL when violated, SHOULD → WARNING, MAY → informational */
  level: 'MUST' | 'SHOULD' | 'MAY';
  /** the clause the check enforces, e.g. `IF-paGetPayment-F70 (SANP 3.2.1 integrazione-tramite-api)` */
  clause: string;
  /** PASS when it held; FAIL/WARNING when violated (by level); INCONCLUSIVE when it could not be judged; NOT_EXERCISED when its subject did not occur */
  verdict: CheckVerdict;
  message: string;
  /** the message in Italian (absent in certificates of earlier versions) */
  messageIt?: string;
  /** evidence references: files under the output folder, e.g. `evidence/journal/EC-PAY-01/003-response-paGetPayment.xml` */
  evidence: string[];
  /** journal sequence numbers backing the check */
  entries: number[];
}

export interface ScenarioResult {
  id: string;
  title: string;
  titleIt: string;
  seat: Seat;
  /** the payment model the scenario exercises ('new', later 'old', 'fdr'); absent in certificates of earlier versions */
  model?: string;
  /** the requirement ids judged by the checks that ran (PASS, WARNING or FAIL) */
  requirements: string[];
  verdict: Verdict;
  /** why the scenario is INCONCLUSIVE / NOT_APPLICABLE / ERROR */
  reason?: string;
  /** the reason in Italian */
  reasonIt?: string;
  checks: Check[];
  /** the scenario's redacted journal, as written under evidence/ */
  journalFile: string;
  journal: JournalEntry[];
  startedAt: string;
  durationMs: number;
  /** mutant runs only: the defect switched on in the reference part */
  mutant?: string;
}

export interface Declaration {
  requirement: string;
  statement: string;
  statementIt?: string;
  declared: boolean;
}

/**
 * One requirement of the seat in a certificate: the scenarios whose checks judged it and the worst of
 * those checks; when none judged it, why (`reason`): NOT_APPLICABLE (a feature the profile does not
 * declare, a part this version lacks), or an organisational duty the profile declares (`declared`).
 */
export interface CoverageRow {
  id: string;
  level: Level;
  condition?: string | null;
  coveredBy: string[];
  verdict?: Verdict;
  notExercisedIn?: string[];
  /** why no check judged it */
  reason?: string;
  reasonIt?: string;
  /** an organisational duty (needs: declaration): whether the profile declares it (never a PASS) */
  declared?: boolean;
}

export interface Certificate {
  harness: { name: 'collaudo'; version: string; node: string };
  sanpVersion: string;
  catalogue: { snapshot: string; requirements: number };
  profile: { sha256: string; name: string; path?: string };
  candidate: {
    seat: Seat;
    name: string;
    endpoint: string;
    identities: Record<string, string>;
    features: Record<string, boolean>;
    /** the candidate is the harness's own embedded reference part (endpoint `embedded:…`), whatever its name: never a certification */
    embedded?: boolean;
  };
  run: { id: string; mode: 'run' | 'demo' | 'mutant'; mutant?: string; startedAt: string; endedAt: string; clock: 'real' | 'virtual' };
  summary: Record<Verdict, number>;
  verdict: Verdict;
  exitCode: number;
  /** faults of the harness itself during the run (a worker's unhandled error, scenarios that never reported); each counts as one ERROR */
  harnessErrors?: string[];
  scenarios: ScenarioResult[];
  declared: Declaration[];
  /** per requirement of the seat: the scenarios whose checks judged it (checks that ran), and the worst of those checks */
  coverage: CoverageRow[];
  /** seat psp: messages no scenario owns, or that came after their scenario had ended (kept, never charged to another scenario) */
  unattributed?: { count: number; entries: JournalEntry[] };
  /**
   * The payment models the profile lists (`models`): each certified here with its number of scenarios,
   * or NOT_APPLICABLE with the reason when this collaudo version has no scenarios for it yet.
   */
  models?: { model: string; scenarios: number; verdict?: 'NOT_APPLICABLE'; reason?: string }[];
  /** the run's receipts and flows (src/core/ledger.ts), written to ledger.json, not to certificate.json */
  ledger?: { receipts: LedgerReceipt[]; flows: LedgerFlow[] };
}

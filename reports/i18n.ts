// Every label of certificate.html in English and Italian.
import type { Seat, Verdict } from '../src/core/model.js';

export type Pair = readonly [en: string, it: string];

export const L = {
  certTitle: ['Conformance certificate', 'Certificato di conformità'],
  subtitle: ['pagoPA — conformance of the candidate system to the specifications', 'pagoPA — conformità del sistema candidato alle specifiche'],
  exec: ['Executive summary', 'Sintesi'],
  tech: ['Technical details', 'Dettaglio tecnico'],
  print: ['Print', 'Stampa'],
  language: ['Language', 'Lingua'],
  candidate: ['Candidate', 'Candidato'],
  name: ['Name', 'Nome'],
  seat: ['Seat', 'Ruolo'],
  endpoint: ['Endpoint', 'Endpoint'],
  identities: ['Identities', 'Identificativi'],
  features: ['Features offered', 'Funzionalità offerte'],
  offered: ['offered', 'offerta'],
  notOffered: ['not offered', 'non offerta'],
  none: ['none', 'nessuna'],
  overall: ['Overall verdict', 'Esito complessivo'],
  exitCode: ['Exit code', 'Codice di uscita'],
  summary: ['Scenarios by verdict', 'Scenari per esito'],
  scenarios: ['scenarios', 'scenari'],
  run: ['Run', 'Esecuzione'],
  runId: ['Run id', 'Identificativo esecuzione'],
  mode: ['Mode', 'Modalità'],
  started: ['Started', 'Inizio'],
  ended: ['Ended', 'Fine'],
  duration: ['Duration', 'Durata'],
  clock: ['Clock', 'Orologio'],
  clockReal: ['real time', 'tempo reale'],
  clockVirtual: ['virtual (simulated time)', 'virtuale (tempo simulato)'],
  harnessVersion: ['Harness version', 'Versione dello strumento'],
  node: ['Node.js', 'Node.js'],
  sanp: ['SANP version', 'Versione SANP'],
  catalogue: ['Requirement catalogue', 'Catalogo dei requisiti'],
  requirementsWord: ['requirements', 'requisiti'],
  profile: ['Candidate profile', 'Profilo del candidato'],
  profileHash: ['Profile SHA-256', 'SHA-256 del profilo'],
  modeRun: ['certification run', 'esecuzione di certificazione'],
  modeDemo: ['demo on the reference parts', 'dimostrazione sulle parti di riferimento'],
  modeMutant: ['mutant self-test', 'autoverifica con mutante'],
  bannerDemo: [
    'Demonstration run: the candidate is the harness’s own reference implementation. This is not a certification of a third-party system.',
    'Esecuzione dimostrativa: il candidato è l’implementazione di riferimento dello strumento stesso. Non è la certificazione di un sistema di terzi.',
  ],
  bannerEmbedded: [
    'Not a certification: the candidate is the harness’s own embedded reference implementation (profile endpoint “embedded:…”), whatever name the profile gives it. No third-party system was tested.',
    'Non è una certificazione: il candidato è l’implementazione di riferimento interna dello strumento (endpoint del profilo “embedded:…”), qualunque nome gli dia il profilo. Nessun sistema di terzi è stato verificato.',
  ],
  modeEmbedded: ['run on the embedded reference implementation', 'esecuzione sull’implementazione di riferimento interna'],
  bannerMutant: [
    'Mutant self-test: the candidate is a reference part with a defect switched on. This is not a certification.',
    'Autoverifica con mutante: il candidato è una parte di riferimento con un difetto attivato. Non è una certificazione.',
  ],
  fails: ['Failures: MUST requirements violated', 'Non conformità: requisiti MUST violati'],
  noFails: ['No MUST requirement was violated.', 'Nessun requisito MUST è stato violato.'],
  otherFindings: ['Other findings', 'Altri rilievi'],
  noOther: ['None.', 'Nessuno.'],
  scenario: ['Scenario', 'Scenario'],
  requirement: ['Requirement', 'Requisito'],
  requirements: ['Requirements', 'Requisiti'],
  clause: ['Clause', 'Clausola'],
  finding: ['Finding', 'Rilievo'],
  evidence: ['Evidence', 'Evidenze'],
  level: ['Level', 'Livello'],
  condition: ['Condition', 'Condizione'],
  coveredBy: ['Judged in', 'Valutato in'],
  verdict: ['Verdict', 'Esito'],
  notCovered: ['not judged', 'non valutato'],
  notExercisedIn: ['not exercised in', 'non esercitato in'],
  reason: ['Reason', 'Motivo'],
  coverage: ['Requirement coverage', 'Copertura dei requisiti'],
  declared: ['Declarations (not verifiable on the wire)', 'Dichiarazioni (non verificabili sui messaggi)'],
  declaredNote: [
    'These statements are declared by the candidate and cannot be shown by the exchanged messages. They are listed as DECLARED and are never counted as PASS.',
    'Queste affermazioni sono dichiarate dal candidato e non possono essere dimostrate dai messaggi scambiati. Sono elencate come DICHIARATO e non sono mai conteggiate come SUPERATO.',
  ],
  noDeclared: ['The candidate made no declaration.', 'Il candidato non ha reso dichiarazioni.'],
  statement: ['Statement', 'Dichiarazione'],
  status: ['Status', 'Stato'],
  notDeclared: ['NOT DECLARED', 'NON DICHIARATO'],
  checks: ['Checks', 'Controlli'],
  check: ['Check', 'Controllo'],
  noChecks: ['No check was evaluated.', 'Nessun controllo è stato valutato.'],
  message: ['Message', 'Messaggio'],
  messages: ['Exchanged messages', 'Messaggi scambiati'],
  msgCount: ['messages', 'messaggi'],
  noMessages: ['No message was exchanged.', 'Nessun messaggio è stato scambiato.'],
  seqHint: ['Click an arrow to show its raw message (secrets redacted).', 'Fare clic su una freccia per vedere il messaggio originale (segreti oscurati).'],
  legendReq: ['request', 'richiesta'],
  legendResp: ['response', 'risposta'],
  legendXsd: ['XSD-invalid message', 'messaggio non valido rispetto all’XSD'],
  legendTransport: ['transport failure (timeout, refused, reset)', 'errore di trasporto (timeout, rifiuto, reset)'],
  journal: ['Journal (JSON)', 'Giornale (JSON)'],
  all: ['All', 'Tutti'],
  expandAll: ['Expand all', 'Espandi tutto'],
  collapseAll: ['Collapse all', 'Comprimi tutto'],
  rawTitle: ['Raw message (secrets redacted)', 'Messaggio originale (segreti oscurati)'],
  indent: ['Indent', 'Indenta'],
  close: ['Close', 'Chiudi'],
  openFile: ['Open evidence file', 'Apri il file di evidenza'],
  inArchive: ['In the evidence archive', "Nell'archivio delle evidenze"],
  noInflate: ['This browser cannot inflate the message (no DecompressionStream); read it in the evidence', 'Questo browser non sa decomprimere il messaggio (manca DecompressionStream); leggerlo nelle evidenze'],
  headers: ['Headers', 'Intestazioni'],
  xsdErrors: ['XSD errors', 'Errori XSD'],
  emptyBody: ['(empty body)', '(corpo vuoto)'],
  note: ['Note', 'Nota'],
  integrity: [
    'Integrity: every file of this folder is listed with its SHA-256 digest in manifest.sha256 (verify with “sha256sum -c manifest.sha256”). Passwords and subscription keys are redacted in every file.',
    'Integrità: ogni file di questa cartella è elencato con il suo digest SHA-256 in manifest.sha256 (verifica con “sha256sum -c manifest.sha256”). Password e chiavi di sottoscrizione sono oscurate in tutti i file.',
  ],
  scope: [
    'This certificate covers only the scenarios listed here, run against the endpoint and profile named above; every verdict rests on the messages recorded in the evidence folder.',
    'Questo certificato riguarda solo gli scenari qui elencati, eseguiti verso l’endpoint e con il profilo indicati; ogni esito si fonda sui messaggi registrati nella cartella delle evidenze.',
  ],
  generatedBy: ['Generated by', 'Generato da'],
  searchPh: ['Search id, title, requirement…', 'Cerca id, titolo, requisito…'],
  covSummary: ['requirements judged by at least one check that ran', 'requisiti valutati da almeno un controllo eseguito'],
  of: ['of', 'su'],
  verdictsMeaning: ['Meaning of the verdicts', 'Significato degli esiti'],
  candidateTag: ['candidate', 'candidato'],
  model: ['Model', 'Modello'],
  models: ['Payment models', 'Modelli di pagamento'],
  modelNotSupported: ['not yet supported by this collaudo version: its requirements are NOT APPLICABLE', 'non ancora supportato da questa versione di collaudo: i suoi requisiti sono NON APPLICABILI'],
} as const satisfies Record<string, Pair>;

export type LabelKey = keyof typeof L;

export const SEAT: Record<Seat, Pair> = {
  ec: ['Creditor body (EC) / intermediary', 'Ente creditore (EC) / intermediario'],
  psp: ['Payment service provider (PSP)', 'Prestatore di servizi di pagamento (PSP)'],
  nodo: ['Nodo dei Pagamenti', 'Nodo dei Pagamenti'],
};

/** The payment models (wire contracts) a scenario may exercise. */
export const MODEL: Record<string, Pair> = {
  new: ['new model (SANP 3)', 'nuovo modello (SANP 3)'],
  old: ['old model (RPT/RT)', 'vecchio modello (RPT/RT)'],
  fdr: ['reconciliation (FdR)', 'rendicontazione (FdR)'],
};

export interface VerdictText {
  label: Pair;
  /** meaning of a scenario verdict */
  meaning: Pair;
  /** meaning of the run's overall verdict */
  overall: Pair;
}

export const VERDICT_TEXT: Record<Verdict | 'DECLARED' | 'NOT_EXERCISED', VerdictText> = {
  PASS: {
    label: ['PASS', 'SUPERATO'],
    meaning: ['Every check held.', 'Tutti i controlli sono stati superati.'],
    overall: ['The candidate passed every applicable scenario.', 'Il candidato ha superato tutti gli scenari applicabili.'],
  },
  WARNING: {
    label: ['WARNING', 'AVVERTENZA'],
    meaning: [
      'A SHOULD recommendation was not met, or a listed ambiguity reading was marked WARNING. Does not block.',
      'Una raccomandazione SHOULD non è stata rispettata, o è stata adottata una lettura ambigua segnalata come AVVERTENZA. Non bloccante.',
    ],
    overall: [
      'No MUST requirement was violated; some SHOULD recommendations were not met.',
      'Nessun requisito MUST è stato violato; alcune raccomandazioni SHOULD non sono state rispettate.',
    ],
  },
  FAIL: {
    label: ['FAIL', 'NON SUPERATO'],
    meaning: [
      'A MUST requirement was violated; the requirement, the clause and the journal entries are named.',
      'Un requisito MUST è stato violato; sono indicati il requisito, la clausola e le voci del giornale.',
    ],
    overall: [
      'At least one MUST requirement was violated: the candidate is not conformant.',
      'Almeno un requisito MUST è stato violato: il candidato non è conforme.',
    ],
  },
  INCONCLUSIVE: {
    label: ['INCONCLUSIVE', 'NON CONCLUSIVO'],
    meaning: [
      'The candidate never acted (the trigger deadline passed) or data for a MUST was missing.',
      'Il candidato non ha agito (scadenza del trigger superata) oppure mancavano i dati per un requisito MUST.',
    ],
    overall: [
      'No violation was proven, but some scenarios could not be judged: conformance is not established.',
      'Nessuna violazione è stata dimostrata, ma alcuni scenari non hanno potuto essere valutati: la conformità non è accertata.',
    ],
  },
  NOT_APPLICABLE: {
    label: ['NOT APPLICABLE', 'NON APPLICABILE'],
    meaning: ['The candidate does not declare the feature (MAY-if-offered).', 'Il candidato non dichiara la funzionalità (MAY-if-offered).'],
    overall: ['No scenario applied to the features the candidate declares.', 'Nessuno scenario si applica alle funzionalità dichiarate dal candidato.'],
  },
  ERROR: {
    label: ['ERROR', 'ERRORE'],
    meaning: [
      'The harness itself broke; never counted as the candidate’s FAIL.',
      'Errore dello strumento di collaudo; non è mai imputato al candidato come NON SUPERATO.',
    ],
    overall: [
      'The harness itself failed during the run, so this is not a judgement of the candidate. The findings below say in one line what failed; the technical view has the details. Check the harness’s own settings (free ports, profile paths, the candidate’s reachability) and run again; if the same error comes back, report it with certificate.json.',
      'Lo strumento di collaudo ha avuto un errore durante l’esecuzione: non è un giudizio sul candidato. I rilievi qui sotto dicono in una riga cosa non ha funzionato; la vista tecnica riporta i dettagli. Verificare le impostazioni dello strumento (porte libere, percorsi del profilo, raggiungibilità del candidato) e ripetere; se lo stesso errore si ripresenta, segnalarlo allegando certificate.json.',
    ],
  },
  NOT_EXERCISED: {
    label: ['NOT EXERCISED', 'NON ESERCITATO'],
    meaning: [
      'A check whose subject did not occur, or that depends on an earlier step that failed: it judged nothing and is never counted as coverage.',
      'Controllo il cui oggetto non si è verificato, o che dipende da un passo precedente non riuscito: non valuta nulla e non conta come copertura.',
    ],
    overall: ['', ''],
  },
  DECLARED: {
    label: ['DECLARED', 'DICHIARATO'],
    meaning: [
      'Declared by the candidate; the wire cannot show it. Never counted as PASS.',
      'Dichiarato dal candidato; non dimostrabile dai messaggi. Mai conteggiato come SUPERATO.',
    ],
    overall: ['', ''],
  },
};

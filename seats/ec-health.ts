// A candidate that crashes: the station answered before, and now every connection is refused or
// reset. The scenario since which it is unreachable is remembered (per station, per worker), every
// later scenario ends INCONCLUSIVE ("candidate unreachable since EC-X-05") instead of failing on
// requirements it never got to judge, and the scenario that killed it can say so
// (`EcContext.candidateDown()`).
import { connect } from 'node:net';
import type { Check } from '../src/core/model.js';
import type { JournalEntry } from '../src/core/journal.js';
import type { Bi } from '../src/core/text.js';
import { transportSaid } from '../src/wire/answer.js';

export class StationHealth {
  private answered = false;
  /** the scenario whose call last reached the station (answered, timed out or reset) */
  private lastContact: string | undefined;
  /** the scenario since which the station refuses connections */
  downSince: string | undefined;
  /** what the first failed connection said */
  downReason: string | undefined;
  /** downReason in Italian */
  downReasonIt: string | undefined;
  /** a reset after the station had answered: down only if a new connection is refused too */
  private suspect: { scenarioId: string; reason: Bi } | undefined;

  constructor(readonly url: string) {}

  /** Every journal entry of a scenario passes here; only the station's answers (or their absence) count. */
  observe(scenarioId: string, e: JournalEntry): void {
    if (e.direction !== 'response' || e.from !== 'ec' || !sameOrigin(e.url, this.url)) return;
    // a connection failure the scenario injected is not the station's
    if (e.note?.startsWith('injected')) return;
    if (!e.transport) {
      this.answered = true;
      this.lastContact = scenarioId;
      this.up();
      return;
    }
    if (e.transport === 'timeout' || e.transport === 'error') {
      this.lastContact = scenarioId;
      return;
    }
    if (!this.answered || this.downSince) return;
    const note = e.note ? ` (${e.note})` : '';
    const reason: Bi = [`${e.transport}${note}`, `${transportSaid(e.transport)[1]}${note}`];
    // a reset alone may be one dropped connection (e.g. an oversized request): a suspicion
    if (e.transport === 'reset') {
      this.suspect ??= { scenarioId, reason };
      this.lastContact = scenarioId;
      return;
    }
    // refused after the station had answered: it stopped, since the request that reset, or the last one it got
    this.down(this.suspect?.scenarioId ?? this.lastContact ?? scenarioId, this.suspect?.reason ?? reason);
  }

  /** Confirms a suspicion (a reset) by connecting again: refused → down since the reset. */
  async confirm(timeoutMs: number): Promise<string | undefined> {
    if (this.suspect && !this.downSince) {
      const s = this.suspect;
      if (!(await this.reachable(timeoutMs))) this.down(s.scenarioId, s.reason);
    }
    return this.downSince;
  }

  private down(since: string, [reason, reasonIt]: Bi): void {
    this.downSince = since;
    this.downReason = reason;
    this.downReasonIt = reasonIt;
    this.suspect = undefined;
  }

  private up(): void {
    this.downSince = undefined;
    this.downReason = undefined;
    this.downReasonIt = undefined;
    this.suspect = undefined;
  }

  /** Whether the station accepts a TCP connection again (within `timeoutMs`, the connect timeout in force). */
  async reachable(timeoutMs: number): Promise<boolean> {
    const u = new URL(this.url);
    const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: u.hostname, port });
      const timer = setTimeout(() => finish(false), timeoutMs);
      const finish = (v: boolean) => {
        clearTimeout(timer);
        s.destroy();
        resolve(v);
      };
      s.once('connect', () => finish(true));
      s.once('error', () => finish(false));
    });
    if (ok) this.up();
    return ok;
  }

  /**
   * In a scenario that met the station already down (it went down in an earlier one), a FAIL that
   * rests on a refused or reset connection judged nothing of the candidate's behaviour: it becomes
   * NOT_EXERCISED, so the scenario is INCONCLUSIVE rather than failing unrelated requirements.
   */
  unjudge(scenarioId: string, checks: Check[], journal: JournalEntry[]): void {
    if (!this.downSince || this.downSince === scenarioId) return;
    const dead = new Set(journal.filter((e) => e.direction === 'response' && (e.transport === 'refused' || e.transport === 'reset') && !e.note?.startsWith('injected')).map((e) => e.seq));
    for (const c of checks) {
      if (c.verdict !== 'FAIL' && c.verdict !== 'WARNING') continue;
      if (!c.entries?.some((s) => dead.has(s))) continue;
      c.verdict = 'NOT_EXERCISED';
      // a message without its Italian stays without (the Italian view reports it as untranslated)
      if (c.messageIt !== undefined) c.messageIt = `candidato irraggiungibile da ${this.downSince} (${this.downReasonIt}): ${c.messageIt}`;
      c.message = `candidate unreachable since ${this.downSince} (${this.downReason}): ${c.message}`;
    }
  }
}

function sameOrigin(a: string | undefined, b: string): boolean {
  if (!a) return false;
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/** One record per station URL in this worker: the environments of a worker's files share it. */
const stations = new Map<string, StationHealth>();
export function healthOf(url: string): StationHealth {
  let h = stations.get(url);
  if (!h) {
    h = new StationHealth(url);
    stations.set(url, h);
  }
  return h;
}

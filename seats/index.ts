// The seats a candidate can take, and what the CLI needs of each: its scenarios, the profile of
// its bundled reference candidate (`demo`, `mutants`), the defect switches of that reference part,
// and the identities shown on the certificate. A new seat is one entry here.
import path from 'node:path';
import type { Seat } from '../src/core/model.js';
import type { ScenarioDef } from '../src/core/scenario.js';
import { type Profile, modelsOf } from '../src/profile/index.js';
import { PACKAGE_ROOT } from './ec.js';

export interface DefectInfo {
  id: string;
  description: string;
  /** the requirement ids the defect violates: a kill counts only when a failing check names one of them */
  catches: readonly string[];
  /** the clause in words, where the ids need one */
  why?: string;
}

export interface SeatInfo {
  seat: Seat;
  /** the seat's scenarios, in catalogue order */
  scenarios(): Promise<ScenarioDef<never>[]>;
  /** profile of the bundled reference candidate */
  referenceProfile: string;
  defects(): Promise<DefectInfo[]>;
  /**
   * Why a defect cannot show against the reference part as `p` describes it (a model the profile does
   * not certify, a channel mode it does not have): a mutant run on that profile leaves it out with
   * the reason. Undefined: it applies (a seat without the method: every defect applies).
   */
  defectOffProfile?(id: string, p: Profile): Promise<string | undefined>;
  /** identities printed on the certificate */
  identities(p: Profile): Record<string, string>;
}

export const SEATS: Partial<Record<Seat, SeatInfo>> = {
  ec: {
    seat: 'ec',
    // both models, in catalogue order (a profile's `models` selects among them)
    scenarios: async () => (await import('../suites/ec/plan.js')).ecPlan as ScenarioDef<never>[],
    referenceProfile: path.join(PACKAGE_ROOT, 'fixtures/profiles/reference-ec.yaml'),
    // the new-model station's defects, then the old-model station's (each names the requirements it violates)
    defects: async () => {
      const ec = await import('../candidates/ec/index.js');
      return [...ec.EC_DEFECTS, ...ec.OLD_EC_DEFECTS];
    },
    identities: (p) => ({ idPA: p.ec.idPA, idBrokerPA: p.ec.idBrokerPA, idStation: p.ec.idStation, stationVersion: String(p.ec.stationVersion ?? 1) }),
  },
  psp: {
    seat: 'psp',
    // both models, in catalogue order (a profile's `models` selects among them)
    scenarios: async () => (await import('../suites/psp/plan.js')).pspPlan,
    referenceProfile: path.join(PACKAGE_ROOT, 'fixtures/profiles/reference-psp.yaml'),
    // the new-model PSP's defects, then the old-model side's (each names the requirements it violates)
    defects: async () => [...(await import('../candidates/psp/defects.js')).PSP_DEFECTS, ...(await import('../candidates/psp/old/index.js')).OLD_PSP_DEFECTS],
    defectOffProfile: async (id, p) => {
      const old = await import('../candidates/psp/old/index.js');
      const model = old.isOldPspDefect(id) ? 'old' : 'new';
      if (!modelsOf(p).includes(model)) return `a defect of the ${model} model; the profile does not certify it (models)`;
      const mode = model === 'old' ? old.oldPspDefectRtMode(id) : undefined;
      const has = p.old?.psp?.rtMode ?? 'push';
      return mode && mode !== has ? `a defect of a ${mode.toUpperCase()} channel; the profile's old-model channel works in ${has.toUpperCase()} (old.psp.rtMode)` : undefined;
    },
    identities: (p) => ({ idPSP: p.psp?.idPSP ?? '', idBrokerPSP: p.psp?.idBrokerPSP ?? '', idChannel: p.psp?.idChannel ?? '' }),
  },
};

export const SEAT_NAMES = Object.keys(SEATS) as Seat[];

export function seatInfo(seat: Seat): SeatInfo {
  const s = SEATS[seat];
  if (!s) throw new Error(`seat ${seat} is not available in this version`);
  return s;
}

// `collaudo serve`: the reference Nodo and the reference EC as standalone servers on real time,
// for a user's own environment (e.g. to point a PSP or a SOAP client at them by hand).
import { RealClock } from '../clock.js';
import { Journal } from '../journal.js';
import { loadProfile } from '../profile/index.js';
import { harnessPspEntries, HARNESS_PSP } from '../registry.js';
import { REFERENCE_EC_PROFILE } from '../seats/ec.js';
import { ReferenceNodo } from '../../mocks/nodo/index.js';
import { ReferenceEc, isEcDefect, EC_DEFECT_IDS } from '../../mocks/ec/index.js';
import { UsageError } from './certify.js';

export async function serve(o: { host: string; nodoPort: number; ecPort: number; ecDefect?: string }): Promise<void> {
  if (o.ecDefect && !isEcDefect(o.ecDefect)) throw new UsageError(`--ec-defect ${o.ecDefect}: unknown defect (known: ${EC_DEFECT_IDS.join(', ')})`);
  const p = loadProfile(REFERENCE_EC_PROFILE).profile;
  const clock = new RealClock();
  const ibans = p.ec.ibans ?? [];
  const ec = new ReferenceEc({
    clock, host: o.host, port: o.ecPort, idPA: p.ec.idPA, idBrokerPA: p.ec.idBrokerPA, idStation: p.ec.idStation,
    companyName: p.ec.companyName ?? 'Reference EC', segregationCode: p.ec.segregationCode ?? '01', ibans,
    defects: o.ecDefect ? [o.ecDefect as never] : [],
  });
  const { url: ecUrl } = await ec.start();
  // one journal for the whole session, echoed on stderr as one line per message
  const journal = new Journal(clock);
  const nodo = new ReferenceNodo({
    clock, host: o.host, port: o.nodoPort, journal: () => journal,
    registry: {
      ecs: [{ fiscalCode: p.ec.idPA, companyName: p.ec.companyName ?? p.name, enabled: true, ibans, stations: [{ idStation: p.ec.idStation, auxDigit: 3, code: p.ec.segregationCode }] }],
      brokersPa: [{ idBrokerPA: p.ec.idBrokerPA, enabled: true }],
      stations: [{ idStation: p.ec.idStation, idBrokerPA: p.ec.idBrokerPA, enabled: true, serviceActive: true, url: ecUrl, version: p.ec.stationVersion ?? 1 }],
      ...harnessPspEntries(),
    },
  });
  const { url: nodoUrl } = await nodo.start();
  const origRecord = journal.record.bind(journal);
  journal.record = (e) => {
    const r = origRecord(e);
    process.stderr.write(`${new Date(r.at).toISOString()} ${r.direction === 'request' ? '→' : '←'} ${r.from} → ${r.to} ${r.primitive ?? '?'}${r.httpStatus ? ` HTTP ${r.httpStatus}` : ''}${r.transport ? ` ${r.transport}` : ''}${r.xsd && !r.xsd.valid ? ' XSD-INVALID' : ''}\n`);
    return r;
  };
  process.stderr.write(
    [
      `reference Nodo (nodeForPsp): ${nodoUrl}   WSDL: ${nodoUrl}/?wsdl`,
      `  PSP identities: idPSP ${HARNESS_PSP.idPSP}, idBrokerPSP ${HARNESS_PSP.idBrokerPSP}, idChannel ${HARNESS_PSP.idChannel}, password ${HARNESS_PSP.password}`,
      `reference EC (paForNode):   ${ecUrl}   WSDL: ${ecUrl}?wsdl${o.ecDefect ? `   defect: ${o.ecDefect}` : ''}`,
      `  EC ${p.ec.idPA}, broker ${p.ec.idBrokerPA}, station ${p.ec.idStation}; create positions: POST ${new URL('/provisioning/positions', ecUrl)}`,
      'Ctrl-C to stop.',
    ].join('\n') + '\n',
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await nodo.stop();
  await ec.stop();
}

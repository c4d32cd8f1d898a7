// The reference Nodo's SOAP side of reconciliation, old model (OLD-FDR-01, OLD-FDR-ERR-06..10,
// OLD-REC-PSP-08/09, SM-FDR): a PSP uploads a flow on NodoPerPsp and asks for its processing state, an
// EC station lists and downloads it on NodoPerPa; every check and fault the catalogue lists; the
// processing states on the virtual clock, including the state query after an upload that got no answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowXml, readFlow } from '../domain/fdr/document.js';
import { FLOW_RETENTION_MS } from '../actors/nodo/fdr/soap-flows.js';
import { textOf } from '../src/wire/xml.js';
import { EC, EC_2, EC_OFF, PASSWORD_2, PSP, PSP_2, STATION_2, type FdrWorld, b64, downloaded, fdrWorld, flow, listed, stateOf, station, upload } from './support/fdr-soap.js';

let w: FdrWorld;
beforeAll(async () => {
  w = await fdrWorld();
});
afterAll(() => w.close());

const stato = async (flowId: string, idPSP?: string) => textOf((await w.pspCall('nodoChiediStatoFlussoRendicontazione', stateOf(flowId, { idPSP }))).body, 'stato');

describe('nodoInviaFlussoRendicontazione → nodoChiediElencoFlussiRendicontazione → nodoChiediFlussoRendicontazione (OLD-FDR-01)', () => {
  it('a valid flow is taken (esito OK), processed at once, listed for its EC and downloaded byte for byte', async () => {
    const f = flow({ n: 3 });
    const xml = flowXml(f);
    const a = await w.pspCall('nodoInviaFlussoRendicontazione', upload(f, { xml }));
    expect([a.esito, a.fault]).toEqual(['OK', undefined]);
    expect(await stato(f.flowId)).toBe('FLUSSO_ELABORATO');
    const stored = w.nodo.flows.get(PSP.idPSP, f.flowId)!;
    expect([stored.transport, stored.revision, stored.document, stored.flow.ecFiscalCode, stored.flow.idPSP, stored.flow.lines.length]).toEqual(['soap-old', 1, xml, EC, PSP.idPSP, 3]);
    expect(w.nodo.fdr.submissions(PSP.idPSP, f.flowId).map((s) => s.outcome)).toEqual(['accepted']);
    // the store's summary of it: the header without the lines and the document (what a SOAP list reads)
    const summary = w.nodo.flows.summaries({ idPSP: PSP.idPSP }).find((x) => x.flow.flowId === f.flowId)!;
    expect([summary.revision, summary.flow.totalCents, 'lines' in summary.flow, 'document' in summary]).toEqual([1, f.totalCents, false, false]);

    const list = await w.pa('nodoChiediElencoFlussiRendicontazione', station({ ec: EC }));
    expect(list.fault).toBeUndefined();
    expect(listed(list.body)[f.flowId]).toBe(f.flowDate);
    const d = await w.pa('nodoChiediFlussoRendicontazione', station({ ec: EC, flowId: f.flowId }));
    expect(d.fault).toBeUndefined();
    expect(downloaded(d.body)).toBe(xml);
    const back = readFlow(downloaded(d.body), { idPSP: PSP.idPSP, ecFiscalCode: EC });
    expect(back.ok && back.flow.totalCents).toBe(f.totalCents);
    // the EC's reads, recorded for the EC seat's judge of its download sequence
    const reads = w.nodo.fdr.reads().slice(-2);
    expect(reads.map((r) => [r.op, r.idStation, r.idDominio, r.faultCode, r.flows.some((x) => x.flowId === f.flowId)])).toEqual([['list', '77777777777_01', EC, undefined, true], ['download', '77777777777_01', EC, undefined, true]]);
    expect(reads[1]!.flows).toEqual([{ flowId: f.flowId, idPSP: PSP.idPSP, revision: 1 }]);
  });

  it('without identificativoDominio the list holds the flows of every EC the station serves, and only those; identificativoPSP narrows it', async () => {
    const mine = flow();
    const other = flow({ ec: EC_2 });
    for (const f of [mine, other]) expect((await w.pspCall('nodoInviaFlussoRendicontazione', upload(f))).esito).toBe('OK');
    const all = listed((await w.pa('nodoChiediElencoFlussiRendicontazione', station())).body);
    expect(Object.keys(all)).toContain(mine.flowId);
    expect(Object.keys(all)).not.toContain(other.flowId);
    const theirs = listed((await w.pa('nodoChiediElencoFlussiRendicontazione', station({ station: STATION_2, broker: EC_2, password: PASSWORD_2 }))).body);
    expect(Object.keys(theirs)).toEqual([other.flowId]);
    const byPsp2 = await w.pa('nodoChiediElencoFlussiRendicontazione', station({ idPSP: PSP_2 }));
    expect([byPsp2.fault, listed(byPsp2.body)]).toEqual([undefined, {}]);
  });
});

describe('upload refused (OLD-FDR-ERR-06, V-30)', () => {
  it('PPT_FLUSSO_SCONOSCIUTO when identificativoFlusso differs from the one inside the document; nothing is stored', async () => {
    const f = flow();
    const a = await w.pspCall('nodoInviaFlussoRendicontazione', upload(f, { flowId: `${f.flowId}X` }));
    expect([a.esito, a.fault?.faultCode, a.fault?.id]).toEqual(['KO', 'PPT_FLUSSO_SCONOSCIUTO', 'NodoDeiPagamentiSPC']);
    expect(a.fault?.description).toContain(f.flowId);
    expect(w.nodo.flows.revisions(PSP.idPSP, f.flowId)).toEqual([]);
    expect(await stato(f.flowId)).toBe('FLUSSO_SCONOSCIUTO');
    expect(await stato(`${f.flowId}X`)).toBe('FLUSSO_SCONOSCIUTO');
  });

  const cases: [string, (f: ReturnType<typeof flow>) => Record<string, string>, RegExp][] = [
    ['a document invalid against FlussoRiversamento', (f) => ({ xml: flowXml(f).replace(/<numeroTotalePagamenti>[^<]*<\/numeroTotalePagamenti>/, '') }), /numeroTotalePagamenti|importoTotalePagamenti/],
    ['base64 that is no XML', () => ({ base64: b64('just text, no markup') }), /FlussoRiversamento/],
    ['numeroTotalePagamenti not the number of lines', (f) => ({ xml: flowXml({ ...f, totalCount: 5 }) }), /numeroTotalePagamenti/],
    ['importoTotalePagamenti not the sum of the lines', (f) => ({ xml: flowXml({ ...f, totalCents: f.totalCents + 1 }) }), /importoTotalePagamenti/],
    ['dataOraFlusso not the document\'s', () => ({ flowDate: '2026-11-23T11:00:00' }), /dataOraFlusso/],
    ['a receiver that is another EC', (f) => ({ xml: flowXml({ ...f, receiver: { idType: 'G', id: EC_2 } }) }), /istitutoRicevente/],
  ];
  for (const [what, edit, says] of cases) {
    it(`PPT_SEMANTICA for ${what}, naming the field; nothing is stored`, async () => {
      const f = flow();
      const a = await w.pspCall('nodoInviaFlussoRendicontazione', upload(f, edit(f)));
      expect([a.esito, a.fault?.faultCode]).toEqual(['KO', 'PPT_SEMANTICA']);
      expect(a.fault?.description).toMatch(says);
      expect(w.nodo.flows.get(PSP.idPSP, f.flowId)).toBeUndefined();
      expect(w.nodo.fdr.submissions(PSP.idPSP, f.flowId).map((s) => [s.outcome, s.faultCode])).toEqual([['refused', 'PPT_SEMANTICA']]);
    });
  }

  it('xmlRendicontazione that is not base64 breaks the envelope\'s schema: PPT_SINTASSI_EXTRAXSD (V-01)', async () => {
    const f = flow();
    const a = await w.pspCall('nodoInviaFlussoRendicontazione', upload(f, { base64: '%%% not base64 %%%' }));
    expect([a.esito, a.fault?.faultCode]).toEqual(['KO', 'PPT_SINTASSI_EXTRAXSD']);
    expect(a.fault?.description).toContain('xmlRendicontazione');
    expect(w.nodo.fdr.submissions(PSP.idPSP, f.flowId)).toEqual([]);
  });

  it('the caller faults of every NodoPerPsp primitive, checked before the flow: password, PSP, domain unknown or disabled', async () => {
    const f = flow();
    const expectKo = async (content: Record<string, unknown>, code: string) => expect((await w.pspCall('nodoInviaFlussoRendicontazione', content as never)).fault?.faultCode).toBe(code);
    await expectKo(upload(f, { password: 'sbagliata_01' }), 'PPT_AUTENTICAZIONE');
    await expectKo(upload(f, { idPSP: 'NOPSP000001' }), 'PPT_PSP_SCONOSCIUTO');
    await expectKo(upload(f, { ec: '55555555555' }), 'PPT_DOMINIO_SCONOSCIUTO');
    await expectKo(upload(f, { ec: EC_OFF }), 'PPT_DOMINIO_DISABILITATO');
    expect(w.nodo.flows.revisions(PSP.idPSP, f.flowId)).toEqual([]);
  });
});

describe('the same flow twice (OLD-FDR-ERR-08, A-24) and a replacement (NM-TR-16, NM-A-22)', () => {
  it('the same identifier and dataOraFlusso again: KO PPT_SEMANTICA, state FLUSSO_DUPLICATO, the first one kept', async () => {
    const f = flow();
    expect((await w.pspCall('nodoInviaFlussoRendicontazione', upload(f))).esito).toBe('OK');
    const again = await w.pspCall('nodoInviaFlussoRendicontazione', upload(f));
    expect(again.fault?.faultCode).toBe('PPT_SEMANTICA');
    expect(again.fault?.description).toContain('FLUSSO_DUPLICATO');
    expect(await stato(f.flowId)).toBe('FLUSSO_DUPLICATO');
    expect(w.nodo.flows.revisions(PSP.idPSP, f.flowId)).toHaveLength(1);
  });

  it('a later dataOraFlusso replaces the flow (revision 2, downloaded from then on); an earlier one is refused', async () => {
    const f = flow();
    expect((await w.pspCall('nodoInviaFlussoRendicontazione', upload(f))).esito).toBe('OK');
    const fixed = { ...f, flowDate: '2026-11-24T09:00:00', lines: f.lines.slice(0, 1), totalCount: 1, totalCents: f.lines[0]!.amountCents };
    expect((await w.pspCall('nodoInviaFlussoRendicontazione', upload(fixed))).esito).toBe('OK');
    expect(w.nodo.flows.get(PSP.idPSP, f.flowId)!.revision).toBe(2);
    expect(await stato(f.flowId)).toBe('FLUSSO_ELABORATO');
    expect(listed((await w.pa('nodoChiediElencoFlussiRendicontazione', station({ ec: EC }))).body)[f.flowId]).toBe(fixed.flowDate);
    expect(downloaded((await w.pa('nodoChiediFlussoRendicontazione', station({ flowId: f.flowId }))).body)).toBe(flowXml(fixed));
    const older = await w.pspCall('nodoInviaFlussoRendicontazione', upload({ ...f, flowDate: '2026-11-22T09:00:00' }));
    expect(older.fault?.faultCode).toBe('PPT_SEMANTICA');
    expect(older.fault?.description).toMatch(/later dataOraFlusso/);
    expect(w.nodo.flows.revisions(PSP.idPSP, f.flowId)).toHaveLength(2);
  });
});

describe('nodoChiediStatoFlussoRendicontazione (OLD-REC-PSP-08/09)', () => {
  it('FLUSSO_SCONOSCIUTO for a flow the Nodo never took, and for another PSP\'s flow', async () => {
    const f = flow();
    expect(await stato(f.flowId)).toBe('FLUSSO_SCONOSCIUTO');
    expect((await w.pspCall('nodoInviaFlussoRendicontazione', upload(f))).esito).toBe('OK');
    expect(w.nodo.fdr.state(PSP_2, f.flowId)).toBe('FLUSSO_SCONOSCIUTO');
  });

  it('answers under the name of the seed\'s timeout scenario too, nodoChiediStatoElaborazioneFlussoRendicontazione (L3147, A-07)', async () => {
    const f = flow();
    const alias = async () => w.pspCall('nodoChiediStatoElaborazioneFlussoRendicontazione', stateOf(f.flowId));
    expect(textOf((await alias()).body, 'stato')).toBe('FLUSSO_SCONOSCIUTO');
    expect((await w.pspCall('nodoInviaFlussoRendicontazione', upload(f))).esito).toBe('OK');
    const a = await alias();
    expect([a.esito, a.body.name, textOf(a.body, 'stato')]).toEqual(['OK', 'nodoChiediStatoElaborazioneFlussoRendicontazioneRisposta', 'FLUSSO_ELABORATO']);
  });

  it('KO PPT_SEMANTICA for an identificativoFlusso that is no flow identifier', async () => {
    for (const bad of ['', 'con spazi', 'x'.repeat(36)]) {
      const a = await w.pspCall('nodoChiediStatoFlussoRendicontazione', stateOf(bad));
      expect([a.esito, a.fault?.faultCode, textOf(a.body, 'stato')]).toEqual(['KO', 'PPT_SEMANTICA', undefined]);
    }
  });

  it('the caller faults: a wrong password is PPT_AUTENTICAZIONE', async () => {
    const a = await w.pspCall('nodoChiediStatoFlussoRendicontazione', { ...stateOf('2026-11-22CLLDITMM001-1'), password: 'sbagliata_01' });
    expect(a.fault?.faultCode).toBe('PPT_AUTENTICAZIONE');
  });
});

describe('upload timeout → state query (OLD-FDR-ERR-07, TR-14), scripted as push-script.ts does', () => {
  it('no answer, the flow taken all the same: FLUSSO_IN_ELABORAZIONE until its processing ends on the clock, then FLUSSO_ELABORATO; the EC sees it only then', async () => {
    const f = flow();
    w.nodo.flowUploads.script({ idPSP: PSP.idPSP, flowId: f.flowId }, [{ kind: 'no-answer', process: true, holdMs: 20_000, processingMs: 60_000 }]);
    await expect(w.pspCall('nodoInviaFlussoRendicontazione', upload(f))).rejects.toThrow(/no SOAP answer/);
    const [attempt] = await w.nodo.flowUploads.waitAttempts({ idPSP: PSP.idPSP, flowId: f.flowId }, 1, 5000);
    expect([attempt!.n, attempt!.answer.kind, attempt!.scripted.kind]).toEqual([1, 'none', 'no-answer']);
    expect(await stato(f.flowId)).toBe('FLUSSO_IN_ELABORAZIONE');
    expect(Object.keys(listed((await w.pa('nodoChiediElencoFlussiRendicontazione', station({ ec: EC }))).body))).not.toContain(f.flowId);
    expect((await w.pa('nodoChiediFlussoRendicontazione', station({ flowId: f.flowId }))).fault?.faultCode).toBe('PPT_ID_FLUSSO_SCONOSCIUTO');
    const taken = w.nodo.flows.get(PSP.idPSP, f.flowId)!;
    w.clock.advance(taken.processedAt! - w.clock.now() - 1);
    expect(await stato(f.flowId)).toBe('FLUSSO_IN_ELABORAZIONE');
    w.clock.advance(1);
    expect(await stato(f.flowId)).toBe('FLUSSO_ELABORATO');
    expect(Object.keys(listed((await w.pa('nodoChiediElencoFlussiRendicontazione', station({ ec: EC }))).body))).toContain(f.flowId);
  });

  it('no answer and the flow not taken: FLUSSO_SCONOSCIUTO, and the upload sent again is taken', async () => {
    const f = flow();
    w.nodo.flowUploads.script({ idPSP: PSP.idPSP, flowId: f.flowId }, [{ kind: 'no-answer', holdMs: 1000 }]);
    await expect(w.pspCall('nodoInviaFlussoRendicontazione', upload(f))).rejects.toThrow(/no SOAP answer/);
    expect(await stato(f.flowId)).toBe('FLUSSO_SCONOSCIUTO');
    expect((await w.pspCall('nodoInviaFlussoRendicontazione', upload(f))).esito).toBe('OK');
    expect(w.nodo.flowUploads.attempts({ idPSP: PSP.idPSP, flowId: f.flowId }).map((a) => [a.n, a.answer.kind])).toEqual([[1, 'none'], [2, 'answered']]);
  });

  it('a late answer: the OK arrives after the delay on the clock, the flow taken on arrival', async () => {
    const f = flow();
    w.nodo.flowUploads.script({ idPSP: PSP.idPSP, flowId: f.flowId }, [{ kind: 'late', delayMs: 40_000 }]);
    const before = w.clock.now();
    const a = await w.pspCall('nodoInviaFlussoRendicontazione', upload(f));
    expect(a.esito).toBe('OK');
    expect(w.clock.now() - before).toBeGreaterThanOrEqual(40_000);
    expect(w.nodo.flows.get(PSP.idPSP, f.flowId)!.publishedAt).toBe(before);
  });

  it('a transport fault on the answer: a non-XML answer to a flow taken all the same, a truncated KO to one not taken', async () => {
    const taken = flow();
    w.nodo.flowUploads.script({ idPSP: PSP.idPSP, flowId: taken.flowId }, [{ kind: 'transport', fault: { kind: 'non-xml' }, process: true }]);
    await expect(w.pspCall('nodoInviaFlussoRendicontazione', upload(taken))).rejects.toThrow(/no SOAP answer/);
    expect(await stato(taken.flowId)).toBe('FLUSSO_ELABORATO');
    expect(w.nodo.flowUploads.attempts({ idPSP: PSP.idPSP, flowId: taken.flowId })[0]!.answer).toEqual({ kind: 'unusable', what: 'non-xml' });
    const lost = flow();
    w.nodo.flowUploads.script({ idPSP: PSP.idPSP, flowId: lost.flowId }, [{ kind: 'transport', fault: { kind: 'truncated' } }]);
    await expect(w.pspCall('nodoInviaFlussoRendicontazione', upload(lost))).rejects.toThrow(/no SOAP answer/);
    expect(await stato(lost.flowId)).toBe('FLUSSO_SCONOSCIUTO');
  });

  it('a scripted PPT_SYSTEM_ERROR: the flow is not taken, the KO is recorded with its code', async () => {
    const f = flow();
    w.nodo.flowUploads.script({ idPSP: PSP.idPSP, flowId: f.flowId }, [{ kind: 'fault', faultCode: 'PPT_SYSTEM_ERROR' }]);
    const a = await w.pspCall('nodoInviaFlussoRendicontazione', upload(f));
    expect([a.esito, a.fault?.faultCode, a.fault?.id]).toEqual(['KO', 'PPT_SYSTEM_ERROR', 'NodoDeiPagamentiSPC']);
    expect(w.nodo.flows.get(PSP.idPSP, f.flowId)).toBeUndefined();
    expect(w.nodo.flowUploads.attempts({ idPSP: PSP.idPSP, flowId: f.flowId })[0]!.answer).toEqual({ kind: 'answered', esito: 'KO', faultCode: 'PPT_SYSTEM_ERROR' });
  });
});

describe('list and download refused (OLD-FDR-ERR-09/10, V-31, TR-04)', () => {
  it('an unknown identificativoPSP: PPT_PSP_SCONOSCIUTO, on the list and on the download', async () => {
    expect((await w.pa('nodoChiediElencoFlussiRendicontazione', station({ idPSP: 'NOPSP000001' }))).fault?.faultCode).toBe('PPT_PSP_SCONOSCIUTO');
    expect((await w.pa('nodoChiediFlussoRendicontazione', station({ idPSP: 'NOPSP000001', flowId: '2026-11-22CLLDITMM001-1' }))).fault?.faultCode).toBe('PPT_PSP_SCONOSCIUTO');
  });

  it('PPT_ID_FLUSSO_SCONOSCIUTO for a flow never stored, one of an EC the station does not serve, one of another PSP', async () => {
    const f = flow({ ec: EC_2 });
    expect((await w.pspCall('nodoInviaFlussoRendicontazione', upload(f))).esito).toBe('OK');
    expect((await w.pa('nodoChiediFlussoRendicontazione', station({ flowId: '2026-11-22CLLDITMM001-NONE' }))).fault?.faultCode).toBe('PPT_ID_FLUSSO_SCONOSCIUTO');
    expect(w.nodo.fdr.reads().at(-1)).toMatchObject({ op: 'download', flowId: '2026-11-22CLLDITMM001-NONE', faultCode: 'PPT_ID_FLUSSO_SCONOSCIUTO', flows: [] });
    expect((await w.pa('nodoChiediFlussoRendicontazione', station({ flowId: f.flowId }))).fault?.faultCode).toBe('PPT_ID_FLUSSO_SCONOSCIUTO');
    const own = { station: STATION_2, broker: EC_2, password: PASSWORD_2 };
    expect((await w.pa('nodoChiediFlussoRendicontazione', station({ ...own, flowId: f.flowId, idPSP: PSP_2 }))).fault?.faultCode).toBe('PPT_ID_FLUSSO_SCONOSCIUTO');
    expect(downloaded((await w.pa('nodoChiediFlussoRendicontazione', station({ ...own, flowId: f.flowId, idPSP: PSP.idPSP }))).body)).toBe(flowXml(f));
  });

  it('the station caller faults: another station\'s domain PPT_AUTORIZZAZIONE, a wrong password PPT_AUTENTICAZIONE, an unknown station', async () => {
    expect((await w.pa('nodoChiediElencoFlussiRendicontazione', station({ ec: EC_2 }))).fault?.faultCode).toBe('PPT_AUTORIZZAZIONE');
    expect((await w.pa('nodoChiediFlussoRendicontazione', station({ password: 'sbagliata_01', flowId: 'X1' }))).fault?.faultCode).toBe('PPT_AUTENTICAZIONE');
    expect((await w.pa('nodoChiediElencoFlussiRendicontazione', station({ station: '77777777777_99' }))).fault?.faultCode).toBe('PPT_STAZIONE_INT_PA_SCONOSCIUTA');
  });

  it('an identificativoFlusso that is no flow identifier: PPT_SEMANTICA (Tabella 21, A-35)', async () => {
    expect((await w.pa('nodoChiediFlussoRendicontazione', station({ flowId: 'non è un flusso' }))).fault?.faultCode).toBe('PPT_SEMANTICA');
  });

  it('a flow stays available 10 days (TR-04), then is neither listed nor downloaded', async () => {
    const f = flow();
    expect((await w.pspCall('nodoInviaFlussoRendicontazione', upload(f))).esito).toBe('OK');
    w.clock.advance(FLOW_RETENTION_MS);
    expect(Object.keys(listed((await w.pa('nodoChiediElencoFlussiRendicontazione', station())).body))).toContain(f.flowId);
    w.clock.advance(1);
    expect(Object.keys(listed((await w.pa('nodoChiediElencoFlussiRendicontazione', station())).body))).not.toContain(f.flowId);
    expect((await w.pa('nodoChiediFlussoRendicontazione', station({ flowId: f.flowId }))).fault?.faultCode).toBe('PPT_ID_FLUSSO_SCONOSCIUTO');
    expect(await stato(f.flowId)).toBe('FLUSSO_ELABORATO');
  });
});

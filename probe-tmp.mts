import soap from 'soap';
for (const f of ['paForNode','nodeForPsp','pspForNode']) {
  const o = await soap.createClientAsync(`/work/main/xsd/${f}.wsdl`);
  const d = (o.describe() as any)[`${f}Service`][`${f}Port`];
  for (const [op, v] of Object.entries<any>(d)) {
    const short = (x: any) => Object.entries(x).filter(([k]) => !k.startsWith('target')).map(([k, v]) => k + (typeof v === 'string' ? '' : '{}')).join(',');
    console.log(f, op, '\n   IN ', short(v.input), '\n   OUT', short(v.output));
  }
}
const o = await soap.createClientAsync(`/work/main/xsd/nodeForPsp.wsdl`);
console.log(JSON.stringify((o.describe() as any).nodeForPspService.nodeForPspPort.activatePaymentNoticeV2.output.transferList));

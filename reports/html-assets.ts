// Inline CSS and script of certificate.html (no external resource of any kind).

export const CSS = String.raw`
*{box-sizing:border-box}
:root{--navy:#13294b;--ink:#1d2733;--muted:#5d6b7a;--line:#d8dee6;--bg:#e9edf2;--paper:#fff;
--PASS:#1e7b34;--WARNING:#b35c00;--FAIL:#c0262d;--INCONCLUSIVE:#6d3fa6;--NOT_APPLICABLE:#6b7785;--ERROR:#263238;--DECLARED:#1f5fa8}
html[data-lang=en] .it,html[data-lang=it] .en{display:none!important}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
code{font:12.5px/1.3 ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
a{color:#1f5fa8}
.muted{color:var(--muted)}.small{font-size:12px}
.top{position:sticky;top:0;z-index:20;display:flex;align-items:center;gap:16px;padding:8px 24px;background:var(--navy);color:#fff;box-shadow:0 1px 4px rgba(0,0,0,.25)}
.brand{display:flex;align-items:center;min-width:0}
.logo{font-weight:800;letter-spacing:.6px;font-size:17px}
.bsub{margin-left:14px;font-size:13px;opacity:.95;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.tabs{display:flex;gap:4px;margin-left:auto}
.tab{color:#d3dceb;text-decoration:none;padding:6px 14px;border-radius:6px;font-weight:600;white-space:nowrap}
.tab:hover{background:rgba(255,255,255,.12)}
.tab.on{background:#fff;color:var(--navy)}
.langs{display:flex}
.langs button,.pbtn{background:transparent;color:#fff;border:1px solid rgba(255,255,255,.55);padding:4px 10px;cursor:pointer;font:600 13px system-ui,sans-serif}
.langs button:first-child{border-radius:6px 0 0 6px}.langs button:last-child{border-radius:0 6px 6px 0;border-left:0}
.langs button.on{background:#fff;color:var(--navy)}
.pbtn{border-radius:6px}
main{padding:24px}
.view{display:none}.view.active{display:block}
.sheet{max-width:1240px;margin:0 auto;background:var(--paper);border:1px solid var(--line);border-radius:8px;padding:30px 40px 36px;box-shadow:0 2px 12px rgba(20,40,70,.08)}
.banner{max-width:1240px;margin:0 auto 14px;padding:10px 16px;border:1px solid #e0b252;background:#fff6dc;color:#6b4b00;border-radius:6px;font-weight:600}
h1{font-size:28px;line-height:1.2;margin:2px 0 6px;color:var(--navy)}
h2{font-size:17px;color:var(--navy);margin:30px 0 10px;padding-bottom:6px;border-bottom:2px solid var(--navy)}
h3{font-size:14px;color:var(--navy);margin:16px 0 6px}
h4{font-size:13.5px;color:#34465c;margin:16px 0 6px;text-transform:uppercase;letter-spacing:.4px}
.kicker{font-size:12px;letter-spacing:1.6px;text-transform:uppercase;color:var(--muted);font-weight:600}
.sub{color:var(--muted);font-size:14px}
.cert-head{display:flex;justify-content:space-between;align-items:stretch;gap:28px;padding-bottom:22px;border-bottom:1px solid var(--line)}
.cert-head>div:first-child{align-self:center}
.overall{min-width:330px;max-width:420px;border:2px solid var(--c);border-radius:10px;padding:14px 22px;text-align:center;background:color-mix(in srgb,var(--c) 7%,#fff)}
.overall .ol{font-size:12px;letter-spacing:1.4px;text-transform:uppercase;color:var(--muted);font-weight:700}
.overall .ov{font-size:40px;line-height:1.15;font-weight:800;color:var(--c);letter-spacing:1px;margin:4px 0}
.overall .oe{font-size:13px;color:var(--ink)}
.overall .oc{font-size:12px;color:var(--ink);margin-top:6px;text-align:left;max-width:34em}
.overall .ox{font-size:12px;color:var(--muted);margin-top:6px}
.v-PASS,.t-PASS,.o-PASS,.v-b-PASS,.c-PASS{--c:var(--PASS)}
.v-WARNING,.t-WARNING,.o-WARNING,.v-b-WARNING,.c-WARNING{--c:var(--WARNING)}
.v-FAIL,.t-FAIL,.o-FAIL,.v-b-FAIL,.c-FAIL{--c:var(--FAIL)}
.v-INCONCLUSIVE,.t-INCONCLUSIVE,.o-INCONCLUSIVE,.v-b-INCONCLUSIVE,.c-INCONCLUSIVE{--c:var(--INCONCLUSIVE)}
.v-NOT_APPLICABLE,.t-NOT_APPLICABLE,.o-NOT_APPLICABLE,.v-b-NOT_APPLICABLE,.c-NOT_APPLICABLE{--c:var(--NOT_APPLICABLE)}
.v-NOT_EXERCISED,.c-NOT_EXERCISED{--c:var(--NOT_APPLICABLE)}
.v-ERROR,.t-ERROR,.o-ERROR,.v-b-ERROR,.c-ERROR{--c:var(--ERROR)}
.v-DECLARED,.t-DECLARED{--c:var(--DECLARED)}
.v{display:inline-block;padding:1px 9px;border-radius:999px;font-size:11.5px;line-height:18px;font-weight:700;letter-spacing:.3px;color:#fff;background:var(--c);white-space:nowrap;vertical-align:middle}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:22px;margin-top:22px}
.box{border:1px solid var(--line);border-radius:8px;padding:2px 18px 14px;min-width:0}
.box h2{border:0;margin:14px 0 8px;padding:0}
.kvs{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:5px 16px;margin:0}
.kv{display:contents}
dt{color:var(--muted);font-size:13px}
dd{margin:0;min-width:0}
code.wrap,code.hash{word-break:break-all}
.chips{display:flex;flex-wrap:wrap;gap:5px}
.chip{border:1px solid var(--line);border-radius:4px;padding:1px 8px;font-size:12px}
.chip.on{border-color:#9cc7a6;background:#eef7f0;color:#1b5a2c}
.chip.off{color:#7d8996;background:#f5f6f8}
.tiles{display:flex;gap:10px;flex-wrap:wrap;align-items:stretch}
.tile{flex:1 1 118px;border:1px solid var(--line);border-top:5px solid var(--c,var(--muted));border-radius:6px;padding:8px 12px;background:#fff}
.tile .n{font-size:30px;font-weight:800;color:var(--c,var(--muted));line-height:1.1}
.tile .l{font-size:12px;font-weight:700;color:#3b4a5a;letter-spacing:.3px}
.tile.zero{opacity:.42}
.tsep{width:1px;background:var(--line);margin:0 4px}
.grid{width:100%;border-collapse:collapse;font-size:13px;margin:4px 0 8px}
.grid th{background:#f1f4f8;text-align:left;font-weight:700;color:#34465c;border-bottom:1px solid #c9d3df;padding:7px 9px;font-size:12.5px}
.grid td{border-bottom:1px solid #e6eaf0;padding:7px 9px;vertical-align:top;overflow-wrap:anywhere}
.grid.cov td{padding:5px 9px}
.clause{font-size:12px;color:#41505f}
.grid .clause{max-width:260px}
.checks .clause{min-width:230px;max-width:380px}.checks td:nth-child(2){min-width:170px}
.evc{min-width:250px;max-width:310px}
.ev{display:inline-block;font:10.5px ui-monospace,monospace;background:#eef3fa;border:1px solid #cfdcec;border-radius:4px;padding:0 5px;margin:1px 0;text-decoration:none;word-break:break-all}
.ent{font:600 11px ui-monospace,monospace;border:1px solid #9fb0c3;background:#fff;border-radius:4px;padding:0 5px;cursor:pointer;color:#24364d}
.ent:hover{background:#eef3fa}
.lvl{display:inline-block;font-size:11px;font-weight:700;color:#34465c;border:1px solid #b8c4d2;border-radius:3px;padding:0 4px;white-space:nowrap}
.sid{font:700 12.5px ui-monospace,monospace;text-decoration:none;white-space:nowrap}
.ok{color:var(--PASS);font-weight:600}
.h-fail{border-bottom-color:var(--FAIL)}
table.fails td{background:#fdf3f3}
tr.c-FAIL td{background:#fdf1f1}tr.c-WARNING td{background:#fff7ea}tr.c-ERROR td{background:#f1f3f4}tr.c-INCONCLUSIVE td{background:#f6f1fb}
.note{background:#eef4fb;border-left:4px solid var(--DECLARED);padding:8px 12px;margin:6px 0 10px;font-size:13px}
.legend{display:grid;grid-template-columns:1fr 1fr;gap:6px 22px;font-size:13px}
.lg{display:flex;gap:10px;align-items:baseline}.lg .v{min-width:118px;text-align:center}
.foot{margin-top:30px;padding-top:14px;border-top:1px solid var(--line);font-size:12.5px;color:#3b4a5a}
.foot p{margin:4px 0}
.toolbar{display:flex;gap:8px;flex-wrap:wrap;align-items:center;position:sticky;top:48px;background:#fff;padding:10px 0;z-index:5;border-bottom:1px solid var(--line);margin-bottom:6px}
.flts{display:flex;gap:6px;flex-wrap:wrap}
.tools{display:flex;gap:8px;margin-left:auto;align-items:center}
.flt{border:1px solid var(--line);background:#fff;border-radius:999px;padding:3px 11px;cursor:pointer;font:600 12.5px system-ui,sans-serif;color:#34465c}
.flt .cnt{display:inline-block;min-width:18px;padding:0 5px;border-radius:9px;background:#e8edf3;font-size:11px;margin-left:3px}
.flt.on{background:var(--navy);border-color:var(--navy);color:#fff}.flt.on .cnt{background:rgba(255,255,255,.25)}
.q{width:250px;padding:5px 10px;border:1px solid #b8c4d2;border-radius:6px;font:13px system-ui,sans-serif}
.btn{border:1px solid #b8c4d2;background:#f6f8fb;border-radius:6px;padding:4px 10px;cursor:pointer;font:600 12.5px system-ui,sans-serif;color:#34465c}
.legend-seq{display:flex;gap:6px;align-items:center;flex-wrap:wrap;color:var(--muted);margin:6px 0 4px}
.legend-seq svg{vertical-align:middle;margin-left:10px}
.badx{color:var(--FAIL);font-weight:600}.tfx{color:#d35400;font-weight:600}
.scn{border:1px solid var(--line);border-left:5px solid var(--c,var(--muted));border-radius:6px;margin:10px 0;background:#fff}
.scn.hide{display:none}
.sh{all:unset;box-sizing:border-box;display:grid;grid-template-columns:10px auto auto minmax(0,1fr) auto;column-gap:10px;row-gap:4px;align-items:center;width:100%;padding:9px 12px;cursor:pointer}
.sh>.v{justify-self:start;grid-column:2;grid-row:1}.sh>.sidt{grid-column:3;grid-row:1}.sh>.stitle{grid-column:4;grid-row:1}.sh::before{grid-column:1;grid-row:1}
.sreq{grid-column:4/6;grid-row:2;display:flex;flex-wrap:wrap;gap:3px}
.sreq:empty{display:none}
.sh:hover{background:#f6f8fb}.sh:focus-visible{outline:2px solid #1f5fa8}
.sh::before{content:"\25B8";color:var(--muted);font-size:12px;width:10px}
.scn.open .sh::before{content:"\25BE"}
.sidt{font:700 13px ui-monospace,monospace}
.stitle{flex:1 1 280px;font-weight:600}
.sreq code{background:#eef2f7;border-radius:3px;padding:0 4px;font-size:11px}
.smeta{color:var(--muted);font-size:12px;white-space:nowrap;grid-column:5;grid-row:1}
.sb{display:none;padding:2px 16px 16px;border-top:1px solid #e6eaf0}
.scn.open .sb{display:block}
.reason{background:color-mix(in srgb,var(--c) 8%,#fff);border-left:3px solid var(--c);padding:6px 10px;margin:10px 0}
.seqwrap{overflow-x:auto;border:1px solid #e3e8ef;border-radius:6px;background:#fbfcfe;padding:6px 4px}
svg.defs{position:absolute;width:0;height:0;overflow:hidden}
svg.seq{display:block;font:12px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif}
.seq .life{stroke:#b3bfcc;stroke-dasharray:4 4}
.seq .party rect{fill:#eef2f7;stroke:#9fb0c3}
.seq .party text{text-anchor:middle;font-weight:700;fill:#24364d}
.seq .party.cand rect{fill:var(--navy);stroke:var(--navy)}.seq .party.cand text{fill:#fff}
.seq .ts{fill:#8592a0;font-size:11px}
.m .ln{stroke:#24364d;stroke-width:1.5;fill:none}
.m.resp .ln{stroke-dasharray:6 4}
.m.bad .ln{stroke:var(--FAIL);stroke-width:2}
.m.tf .ln{stroke:#d35400;stroke-dasharray:2 3;stroke-width:2.4}
.m .hit{stroke:transparent;stroke-width:18;fill:none}
.scn .m{cursor:pointer}
.m .lb{font-weight:700;fill:#1d2733}
.m.bad .lb{fill:var(--FAIL)}
.m .mt{fill:#5d6b7a;font-size:11px}
.m .mt.badx{fill:var(--FAIL);font-weight:700}.m .mt.tfx{fill:#d35400;font-weight:700}.m .mt.warnx{fill:#b35c00}
.scn .m:hover .ln,.scn .m:focus .ln{stroke-width:3}
.m.sel .hit{stroke:rgba(31,95,168,.16)}.m.sel .ln{stroke-width:2.6}.m.sel .lb{text-decoration:underline}
.m:focus{outline:none}
.raw{margin-top:10px;border:1px solid #2a3d57;border-radius:6px;background:#0f1b2a;color:#e6edf5}
.raw .rh{display:flex;gap:10px;flex-wrap:wrap;align-items:center;padding:7px 12px;background:#1c2d44;border-radius:6px 6px 0 0;font-size:12.5px}
.raw .rm{font:12px ui-monospace,monospace;color:#b9c8da}
.raw .rsp{flex:1}
.raw .rbtn{font:600 12px system-ui,sans-serif;color:#fff;background:#2c4566;border:1px solid #47628a;border-radius:4px;padding:2px 8px;cursor:pointer;text-decoration:none}
.raw .rbtn.on{background:#47628a}
.raw .rd{padding:6px 12px;border-bottom:1px solid #2a3d57}
.raw .rk{display:grid;grid-template-columns:110px minmax(0,1fr);gap:8px;margin:3px 0;font-size:12px}
.raw .rk>span{color:#8fa4bd}
.raw .rk pre{margin:0;white-space:pre-wrap;word-break:break-all;font:12px ui-monospace,monospace}
.raw .rk.bad pre{color:#ff9b9b}
.raw>pre{margin:0;padding:12px;max-height:520px;overflow:auto;white-space:pre-wrap;word-break:break-all;font:12px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
@media (max-width:960px){.cols,.legend{grid-template-columns:1fr}.cert-head{flex-direction:column}.overall{max-width:none}.sheet{padding:20px}}
@media print{
  @page{size:A4;margin:12mm}
  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  body{background:#fff;font-size:11px}
  .top,.toolbar,.hint,.raw,.btn,.ent,noscript{display:none!important}
  main{padding:0}
  .view{display:block!important}
  #view-tech{break-before:page}
  .sheet{border:0;box-shadow:none;padding:0;max-width:none;border-radius:0}
  .scn,.scn.hide{display:block!important;break-inside:auto}
  .scn .sb{display:block!important}
  .sh{break-after:avoid}
  .scn .sh::before,.scn.open .sh::before{display:none}
  .grid{font-size:9.5px}.grid th{font-size:9.5px}.grid code,.grid .small,.grid .clause{font-size:8.5px}.grid .lvl{font-size:8px}
  .evc{min-width:0;max-width:none}.grid .clause{max-width:none}
  .ev{font-size:8.5px;word-break:break-all}
  .tiles{flex-wrap:nowrap}.tile{flex:1 1 0;min-width:0;padding:5px 7px}.tile .n{font-size:22px}.tile .l{font-size:8.5px}
  .tsep{display:none}
  tr,.tile,.box,.overall,.seqwrap,.lg{break-inside:avoid}
  h2,h3,h4{break-after:avoid}
  .seqwrap{overflow:visible;border:0;background:#fff}
  svg.seq{max-width:100%;height:auto}
  a{color:inherit;text-decoration:none}
  .grid td,.grid th{padding:4px 6px}
  .cols{grid-template-columns:1fr 1fr}
}
`;

/** Plain ES5-ish script; no template literals or "${" inside (it lives in a String.raw). */
export const CLIENT_JS = String.raw`
(function(){
'use strict';
var doc=document,root=doc.documentElement,D=null,fState='',qState='';
function data(){if(!D){D=JSON.parse(doc.getElementById('collaudo-data').textContent);}return D;}
function all(sel,el){return Array.prototype.slice.call((el||doc).querySelectorAll(sel));}
function mk(tag,cls,text){var e=doc.createElement(tag);if(cls)e.className=cls;if(text!=null)e.textContent=text;return e;}
function bi(pair){var f=doc.createDocumentFragment();if(typeof pair==='string'){f.appendChild(doc.createTextNode(pair));return f;}
  var a=mk('span','en',pair[0]),b=mk('span','it',pair[1]);b.lang='it';f.appendChild(a);f.appendChild(b);return f;}
function setLang(l){if(l!=='en'&&l!=='it')return;root.setAttribute('data-lang',l);root.lang=l;
  all('.langs button').forEach(function(b){var on=b.getAttribute('data-lang')===l;b.classList.toggle('on',on);b.setAttribute('aria-pressed',String(on));});
  all('input.q').forEach(function(i){i.placeholder=i.getAttribute('data-ph-'+l)||'';});
  try{localStorage.setItem('collaudo.lang',l);}catch(e){}}
function setView(v){all('.view').forEach(function(s){s.classList.toggle('active',s.id==='view-'+v);});
  all('.tab').forEach(function(t){var on=t.getAttribute('data-view')===v;t.classList.toggle('on',on);t.setAttribute('aria-selected',String(on));});}
function openCard(c,open){c.classList.toggle('open',open);var b=c.querySelector('.sh');if(b)b.setAttribute('aria-expanded',String(open));}
function setFilter(f){fState=f||'';all('.flt').forEach(function(b){b.classList.toggle('on',(b.getAttribute('data-f')||'')===fState);});filter();}
var Z={};
function unpack(b64){var bin=atob(b64),u=new Uint8Array(bin.length);for(var k=0;k<bin.length;k++)u[k]=bin.charCodeAt(k);
  return new Response(new Blob([u]).stream().pipeThrough(new DecompressionStream('deflate'))).text().then(JSON.parse);}
function withMessages(card,cb){var i=+card.getAttribute('data-i');if(Z[i]){cb(Z[i]);return;}var b=(data().z||[])[i];
  if(!b){cb(Z[i]=[]);return;}
  if(typeof DecompressionStream!=='function'){rawNote(card,data().labels.noInflate);return;}
  unpack(b).then(function(list){Z[i]=list;cb(list);},function(err){rawNote(card,[String(err),String(err)]);});}
function rawNote(card,pair){var box=card.querySelector('.raw');if(!box)return;box.textContent='';var p=mk('p','rk bad');p.appendChild(bi(pair));box.appendChild(p);box.hidden=false;}
function showSeq(card,seq){withMessages(card,function(list){for(var i=0;i<list.length;i++)if(list[i].q===seq){showRaw(card,i);return;}});}
function applyHash(){var h=location.hash.replace(/^#/,''),view=null,target=null,msg=null;
  h.split('&').forEach(function(p){try{p=decodeURIComponent(p);}catch(e){}
    if(p==='exec'||p==='tech')view=p;else if(p.indexOf('lang=')===0)setLang(p.slice(5));
    else if(p.indexOf('s=')===0){target=p.slice(2);view='tech';}
    else if(p.indexOf('f=')===0){setFilter(p.slice(2));view='tech';}
    else if(p.indexOf('m=')===0){var k=p.lastIndexOf(':');if(k>2){target=p.slice(2,k);msg=+p.slice(k+1);view='tech';}}});
  if(view)setView(view);
  if(target){var c=doc.getElementById('s-'+target);if(c){c.classList.remove('hide');openCard(c,true);if(msg!=null)showSeq(c,msg);else c.scrollIntoView();}}
  else if(view)window.scrollTo(0,0);}
function filter(){all('.scn').forEach(function(c){var ok=(!fState||c.getAttribute('data-v')===fState)&&(!qState||(c.getAttribute('data-q')||'').indexOf(qState)>=0);c.classList.toggle('hide',!ok);});}
function fmtXml(src){if(!/^\s*</.test(src))return src;
  var toks=src.replace(/>\s+</g,'><').match(/<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<[^>]+>|[^<]+/g)||[],out=[],d=0,line='',txt=false;
  function pad(n){return new Array(n+1).join('  ');}
  for(var i=0;i<toks.length;i++){var t=toks[i];
    if(/^<\//.test(t)){d=Math.max(0,d-1);if(txt){line+=t;out.push(line);line='';txt=false;}else{if(line)out.push(line);out.push(pad(d)+t);line='';}}
    else if(/^<[?!]/.test(t)||/\/>$/.test(t)){if(line)out.push(line);line='';out.push(pad(d)+t);}
    else if(/^</.test(t)){if(line)out.push(line);line=pad(d)+t;d++;}
    else{if(/^\s*$/.test(t))continue;line+=t;txt=true;}}
  if(line)out.push(line);return out.join('\n');}
function kvl(label,value,cls){var r=mk('div','rk'+(cls?' '+cls:''));var s=mk('span');s.appendChild(bi(label));r.appendChild(s);r.appendChild(mk('pre',null,value));return r;}
function showRaw(card,i){withMessages(card,function(list){renderRaw(card,i,list[i]);});}
function renderRaw(card,i,e){if(!e)return;var d=data(),L=d.labels;
  var box=card.querySelector('.raw');if(!box)return;
  all('g.m.sel',card).forEach(function(g){g.classList.remove('sel');});
  var g=card.querySelector('g.m[data-e="'+i+'"]');if(g)g.classList.add('sel');
  box.textContent='';
  var head=mk('div','rh'),t=mk('b');t.appendChild(bi(L.rawTitle));head.appendChild(t);
  head.appendChild(mk('span','rm','#'+e.q+' '+e.d+' '+e.p+' \u00b7 '+e.f+' \u2192 '+e.t+(e.h!=null?' \u00b7 HTTP '+e.h:'')+(e.l!=null?' \u00b7 '+e.l+' ms':'')+(e.tr?' \u00b7 transport: '+e.tr:'')+(e.x?(e.x.v?' \u00b7 XSD ok':' \u00b7 XSD invalid'):'')));
  head.appendChild(mk('span','rsp'));
  if(e.fl&&d.ar){var m=mk('span','rm');m.appendChild(bi(L.inArchive));m.appendChild(doc.createTextNode(': '+d.ar+' \u203a '+e.fl));head.appendChild(m);}
  else if(e.fl){var a=mk('a','rbtn');a.href=encodeURI(e.fl);a.appendChild(bi(L.openFile));head.appendChild(a);}
  if(e.r){var ib=mk('button','rbtn');ib.type='button';ib.setAttribute('data-act','indent');ib.appendChild(bi(L.indent));head.appendChild(ib);}
  var cb=mk('button','rbtn');cb.type='button';cb.setAttribute('data-act','close');cb.appendChild(bi(L.close));head.appendChild(cb);
  box.appendChild(head);
  var det=mk('div','rd');
  if(e.u)det.appendChild(kvl('URL',e.u));if(e.a)det.appendChild(kvl('SOAPAction',e.a));
  if(e.hd){var ks=Object.keys(e.hd);if(ks.length)det.appendChild(kvl(L.headers,ks.map(function(k){return k+': '+e.hd[k];}).join('\n')));}
  if(e.x&&!e.x.v)det.appendChild(kvl(L.xsdErrors,(e.x.e||[]).join('\n'),'bad'));
  if(e.n)det.appendChild(kvl(L.note,e.n));
  if(det.childNodes.length)box.appendChild(det);
  var pre=mk('pre');pre.setAttribute('data-raw','1');if(e.r)pre.textContent=e.r;else pre.appendChild(bi(L.emptyBody));box.appendChild(pre);
  box.rawText=e.r||'';box.hidden=false;if(box.scrollIntoView)box.scrollIntoView({block:'nearest'});}
doc.addEventListener('click',function(ev){var t=ev.target;if(!(t instanceof Element))return;var el,card;
  if((el=t.closest('.langs button'))){setLang(el.getAttribute('data-lang'));return;}
  if((el=t.closest('.tab'))){setView(el.getAttribute('data-view'));return;}
  if((el=t.closest('[data-act]'))){var a=el.getAttribute('data-act');
    if(a==='print')window.print();
    else if(a==='expand'||a==='collapse')all('.scn').forEach(function(c){if(!c.classList.contains('hide'))openCard(c,a==='expand');});
    else if(a==='close'){var b=el.closest('.raw');if(b){b.hidden=true;b.textContent='';}all('g.m.sel',el.closest('.scn')||doc).forEach(function(g){g.classList.remove('sel');});}
    else if(a==='indent'){var bx=el.closest('.raw'),pre=bx&&bx.querySelector('pre[data-raw]');if(pre){var on=pre.getAttribute('data-ind')==='1';pre.textContent=on?bx.rawText:fmtXml(bx.rawText);pre.setAttribute('data-ind',on?'0':'1');el.classList.toggle('on',!on);}}
    return;}
  if((el=t.closest('.flt'))){setFilter(el.getAttribute('data-f'));return;}
  if((el=t.closest('.sh'))){card=el.closest('.scn');if(card)openCard(card,!card.classList.contains('open'));return;}
  if((el=t.closest('g.m'))){card=el.closest('.scn');if(card)showRaw(card,+el.getAttribute('data-e'));return;}
  if((el=t.closest('.ent'))){card=el.closest('.scn');if(card)showSeq(card,+el.getAttribute('data-seq'));return;}
});
doc.addEventListener('keydown',function(ev){var t=ev.target;if((ev.key==='Enter'||ev.key===' ')&&t instanceof Element&&t.matches('g.m')){ev.preventDefault();var c=t.closest('.scn');if(c)showRaw(c,+t.getAttribute('data-e'));}});
doc.addEventListener('input',function(ev){var t=ev.target;if(t instanceof Element&&t.matches('input.q')){qState=t.value.trim().toLowerCase();filter();}});
window.addEventListener('hashchange',applyHash);
var l0=null;try{l0=localStorage.getItem('collaudo.lang');}catch(e){}
if(!l0&&(navigator.language||'').toLowerCase().indexOf('it')===0)l0='it';
setLang(l0||'en');applyHash();
})();
`;

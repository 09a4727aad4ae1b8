/** The public pages' style sheet (served as `/site.css`: the CSP allows no inline style). */
export const SITE_CSS = `:root{--ink:#1a202c;--muted:#5a6473;--line:#e2e6ec;--bg:#f5f7fa;--card:#fff;--navy:#0b2545;--link:#0b4f8a;
--ok:#2e7d32;--maint:#1565c0;--deg:#b7791f;--part:#c05621;--major:#c62828;--none:#d5dae1}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.7 -apple-system,BlinkMacSystemFont,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei",Roboto,"Helvetica Neue",Arial,sans-serif}
html[lang=en] body{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,"DejaVu Sans","PingFang SC","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif}
a{color:var(--link);text-decoration:none}a:hover,a:focus{text-decoration:underline}
.wrap{max-width:880px;margin:0 auto;padding:0 16px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:4px 8px;z-index:2}
.top{background:var(--navy);color:#fff}
.top .wrap{display:flex;align-items:center;justify-content:space-between;min-height:60px;gap:8px 12px;flex-wrap:wrap;padding-top:8px;padding-bottom:8px}
.brand{color:#fff;display:flex;align-items:center;gap:10px;font-size:18px;font-weight:600;letter-spacing:.02em}
.brand:hover{text-decoration:none}
.brand .sep{width:1px;height:18px;background:rgba(255,255,255,.4)}
.brand .what{font-weight:400;opacity:.9}
.top nav{display:flex;gap:16px;font-size:14px}
.top nav a{color:#dbe4f0}
.top nav .lang{border:1px solid rgba(255,255,255,.45);border-radius:3px;padding:1px 8px}
main.wrap{padding-top:24px;padding-bottom:8px}
h1{font-size:22px;line-height:1.4;margin:0}
h2{font-size:17px;margin:0 0 12px}
h3{font-size:16px;margin:0;line-height:1.5}
.page-title{margin-bottom:16px}
.section-title{font-size:16px;color:var(--muted);font-weight:600;margin:24px 0 10px}
.card{background:var(--card);border:1px solid var(--line);border-radius:4px;padding:18px 20px;margin:0 0 16px}
.empty{color:var(--muted)}
.overall{border-radius:4px;color:#fff;padding:16px 20px;margin-bottom:8px;font-size:18px;font-weight:600}
.overall p{margin:0}
.overall.s-operational{background:var(--ok)}.overall.s-maintenance{background:var(--maint)}.overall.s-degraded{background:var(--deg)}
.overall.s-partial_outage{background:var(--part)}.overall.s-major_outage{background:var(--major)}
.overall.s-incident{background:var(--maint)}.overall.s-incident.i-minor{background:var(--deg)}.overall.s-incident.i-major{background:var(--part)}.overall.s-incident.i-critical{background:var(--major)}
.state,.status,.verdict{display:inline-block;font-size:12px;line-height:20px;padding:0 8px;border-radius:10px;white-space:nowrap;font-weight:600}
.s-operational.state{color:var(--ok);background:#e8f3ea}.s-maintenance.state{color:var(--maint);background:#e6effa}
.s-degraded.state{color:#8a5a12;background:#fbf1dd}.s-partial_outage.state{color:var(--part);background:#fbebe1}.s-major_outage.state{color:var(--major);background:#fbe6e6}
.st-investigating,.st-identified{color:var(--part);background:#fbebe1}.st-monitoring{color:var(--maint);background:#e6effa}.st-resolved{color:var(--ok);background:#e8f3ea}
.mt-scheduled,.mt-in_progress{color:var(--maint);background:#e6effa}.mt-completed{color:var(--ok);background:#e8f3ea}
.v-false{color:#fff;background:var(--major)}.v-unverified{color:#8a5a12;background:#fbf1dd}.v-confirmed{color:var(--ok);background:#e8f3ea}
.ann{border-left:4px solid var(--part)}.ann.impact-none,.ann.impact-minor{border-left-color:var(--deg)}.ann.impact-critical{border-left-color:var(--major)}
.ann-head{display:flex;justify-content:space-between;align-items:flex-start;gap:12px;margin-bottom:8px}
.meta{color:var(--muted);font-size:13px;margin:4px 0}
.facts{margin:8px 0 0;display:grid;grid-template-columns:1fr;gap:0;border-top:1px solid var(--line)}
.fact{display:grid;grid-template-columns:9em 1fr;gap:12px;padding:8px 0;border-bottom:1px solid var(--line)}
.fact dt{color:var(--muted);font-size:14px}.fact dd{margin:0}.fact dd p{margin:0 0 4px}.fact dd p:last-child{margin-bottom:0}
.rich p{margin:0 0 6px}.rich p:last-child{margin-bottom:0}.rich ul,.rich ol{margin:4px 0;padding-left:1.4em}
.latest{margin-top:12px;padding:10px 12px;background:#f8fafc;border-radius:3px}
.more{margin:10px 0 0;font-size:14px}
.group{margin-top:8px}.group+.group{margin-top:20px}
.group-name{font-size:14px;color:var(--muted);font-weight:600;border-bottom:1px solid var(--line);padding-bottom:6px}
.comp-list{list-style:none;margin:0;padding:0}
.comp{padding:12px 0;border-bottom:1px solid var(--line)}.comp:last-child{border-bottom:0}
.comp-head{display:flex;justify-content:space-between;align-items:center;gap:8px;margin-bottom:6px}
.comp-name{color:var(--ink);font-weight:500}
.bars{display:block;width:100%;height:30px}
.bars rect{fill:var(--none)}
.bars .d-operational{fill:#4caf50}.bars .d-maintenance{fill:#42a5f5}.bars .d-degraded{fill:#e0a526}.bars .d-partial_outage{fill:#ef7d32}.bars .d-major_outage{fill:#d93025}
.bars-legend{display:flex;justify-content:space-between;color:var(--muted);font-size:12px;margin-top:2px}
.factcheck{border-top:1px solid var(--line);padding:10px 0}.factcheck:first-of-type{border-top:0;padding-top:0}
.claim{margin:0 0 4px;font-weight:600}.claim .verdict{margin-right:8px}.claim-label{color:var(--muted);font-weight:400}
.timeline{list-style:none;margin:0;padding:0 0 0 16px;border-left:2px solid var(--line)}
.timeline li{position:relative;padding:0 0 16px 8px}
.timeline li::before{content:"";position:absolute;left:-23px;top:8px;width:10px;height:10px;border-radius:50%;background:#fff;border:2px solid var(--link)}
.faq{border-top:1px solid var(--line);padding:8px 0}.faq summary{font-weight:600;cursor:pointer}
.history{list-style:none;padding:0 20px}
.history li{padding:12px 0;border-bottom:1px solid var(--line)}.history li:last-child{border-bottom:0}
.history .status{margin-left:8px}
.pager{display:flex;justify-content:center;gap:16px;color:var(--muted);font-size:14px}
.crumb{margin:0 0 12px;font-size:14px}
.subscribe .hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
.subscribe label{display:block;font-size:14px;color:var(--muted);margin-bottom:4px}
.subscribe .row{display:flex;gap:8px}
.subscribe input[type=email]{flex:1;min-width:0;font:inherit;padding:7px 10px;border:1px solid #c4ccd6;border-radius:3px}
.subscribe button{font:inherit;padding:7px 18px;border:0;border-radius:3px;background:var(--navy);color:#fff;cursor:pointer}
.sub-services{margin-top:10px;font-size:14px}.sub-services summary{cursor:pointer;color:var(--link)}
.subscribe .check{display:inline-flex;align-items:center;gap:4px;margin:6px 16px 0 0;color:var(--ink)}
.history-link{text-align:right;font-size:14px}
.foot{color:var(--muted);font-size:13px;padding:8px 0 32px}.foot p{margin:4px 0}
@media (max-width:600px){body{font-size:14px}.fact{grid-template-columns:1fr;gap:2px}.ann-head{flex-direction:column;gap:4px}.card{padding:14px}.brand{font-size:16px}h1{font-size:19px}}
`;

/**
 * The public pages' Eta templates (autoEscape on: `<%= %>` escapes; `<%~ %>` is used only for HTML that
 * platform/markdown.ts sanitized or that another template produced). Kept in TypeScript so the build
 * carries them without copying files.
 */
export const TEMPLATES: Record<string, string> = {
  '@layout': `<!doctype html>
<html lang="<%= it.h.lang %>">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title><%= it.title %></title>
<meta name="description" content="<%= it.h.siteName %> <%= it.h.m.statusPage %>">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="<%= it.h.asset('/site.css') %>">
<% it.h.feeds(it.feedBase).forEach(function (f) { %><link rel="alternate" type="<%= f.type %>" title="<%= f.title %>" href="<%= f.href %>">
<% }) %><link rel="alternate" hreflang="<%= it.h.other %>" href="<%= it.h.switchHref %>">
</head>
<body>
<a class="skip" href="#main"><%= it.h.m.skip %></a>
<header class="top"><div class="wrap">
<a class="brand" href="<%= it.h.href('/') %>"><span class="firm"><%= it.h.siteName %></span><span class="sep"></span><span class="what"><%= it.h.m.statusPage %></span></a>
<nav><a href="<%= it.h.href('/history') %>"><%= it.h.m.history %></a><a href="<%= it.h.href('/compensation') %>"><%= it.h.m.compensation %></a><a class="lang" lang="<%= it.h.other %>" hreflang="<%= it.h.other %>" href="<%= it.h.switchHref %>"><%= it.h.m.switchTo %></a></nav>
</div></header>
<main id="main" class="wrap">
<%~ it.body %>
</main>
<footer class="foot"><div class="wrap">
<p><%= it.h.m.updated %> <time datetime="<%= it.h.iso(it.h.generatedAt) %>"><%= it.h.time(it.h.generatedAt) %></time> · <%= it.h.m.timesIn(it.h.timeZone) %></p>
<p><%= it.h.m.feeds %>: <% it.h.feeds(it.feedBase).forEach(function (f, i) { %><%= i ? ' · ' : '' %><a href="<%= f.href %>"><%= f.label %></a><% }) %> · <a href="<%= it.h.asset('/api/v2/summary.json') %>">JSON API</a></p>
</div></footer>
</body>
</html>
`,
  '@bars': `<svg class="bars" viewBox="0 0 450 30" preserveAspectRatio="none" role="img" aria-label="<%= it.label %>"><% it.days.forEach(function (d, i) { %><rect x="<%= i * 5 %>" y="0" width="4" height="30" rx="1" class="d-<%= d.cls %>"><title><%= d.title %></title></rect><% }) %></svg>
<div class="bars-legend"><span><%= it.h.m.daysAgo90 %></span><span><%= it.label %></span><span><%= it.h.m.today %></span></div>`,
  '@components': `<section class="card components" aria-labelledby="h-comp">
<h2 id="h-comp"><%= it.h.m.components %></h2>
<% it.sections.forEach(function (g) { %>
<div class="group">
<% if (g.name) { %><h3 class="group-name"><%= g.name %></h3><% } %>
<ul class="comp-list">
<% g.components.forEach(function (c) { %>
<li class="comp">
<div class="comp-head"><a class="comp-name" href="<%= c.href %>"><%= c.name %></a><span class="state s-<%= c.state %>"><%= c.stateLabel %></span></div>
<%~ include('@bars', { h: it.h, days: c.days, label: c.uptimeLabel }) %>
</li>
<% }) %>
</ul>
</div>
<% }) %>
</section>`,
  '@facts': `<dl class="facts">
<% it.rows.forEach(function (r) { %><div class="fact"><dt><%= r.label %></dt><dd><% if (r.html) { %><%~ r.html %><% } else { %><%= r.text %><% } %></dd></div>
<% }) %></dl>`,
  '@factcheck': `<article class="factcheck" id="fact-<%= it.f.id %>">
<p class="claim"><span class="verdict v-<%= it.f.verdict %>"><%= it.f.verdictLabel %></span><span class="claim-label"><%= it.h.m.claim %><%= it.h.m.colon %></span><%= it.f.claim %></p>
<div class="rich"><%~ it.f.rebuttal %></div>
<p class="meta"><% if (it.f.source) { %><%= it.h.m.source %><%= it.h.m.colon %><%= it.f.source %> · <% } %><time datetime="<%= it.h.iso(it.f.at) %>"><%= it.h.time(it.f.at) %></time><% if (it.f.annHref) { %> · <a href="<%= it.f.annHref %>"><%= it.f.annTitle %></a><% } %></p>
</article>`,
  '@annCard': `<article class="card ann impact-<%= it.a.impact %>">
<header class="ann-head"><h3><a href="<%= it.a.href %>"><%= it.a.title %></a></h3><span class="status st-<%= it.a.status %>"><%= it.a.statusLabel %></span></header>
<%~ include('@facts', { rows: it.a.facts }) %>
<% if (it.a.latest) { %><div class="latest"><p class="meta"><span class="status st-<%= it.a.latest.status %>"><%= it.a.latest.statusLabel %></span> <time datetime="<%= it.h.iso(it.a.latest.at) %>"><%= it.h.time(it.a.latest.at) %></time></p><div class="rich"><%~ it.a.latest.body %></div></div><% } %>
<p class="more"><a href="<%= it.a.href %>"><%= it.h.m.readMore %> →</a></p>
</article>`,
  '@maint': `<article class="card maint">
<header class="ann-head"><h3><a href="<%= it.x.href %>"><%= it.x.title %></a></h3><span class="status mt-<%= it.x.state %>"><%= it.x.stateLabel %></span></header>
<p class="meta"><%= it.h.m.window %><%= it.h.m.colon %><time datetime="<%= it.h.iso(it.x.startsAt) %>"><%= it.h.time(it.x.startsAt) %></time> – <time datetime="<%= it.h.iso(it.x.endsAt) %>"><%= it.h.time(it.x.endsAt) %></time><% if (it.x.services) { %> · <%= it.x.services %><% } %></p>
<div class="rich"><%~ it.x.body %></div>
</article>`,
  '@home': `<% layout('@layout', { h: it.h, title: it.title, feedBase: '' }) %>
<section class="overall s-<%= it.overall %> i-<%= it.indicator %>" role="status"><p><%= it.overallLabel %></p></section>
<section aria-labelledby="h-active">
<h2 id="h-active" class="section-title"><%= it.h.m.activeAnnouncements %></h2>
<% if (it.active.length === 0) { %><p class="card empty"><%= it.h.m.noActive %></p><% } %>
<% it.active.forEach(function (a) { %><%~ include('@annCard', { h: it.h, a: a }) %><% }) %>
</section>
<% if (it.maintenances.length) { %><section aria-labelledby="h-maint"><h2 id="h-maint" class="section-title"><%= it.h.m.maintenances %></h2>
<% it.maintenances.forEach(function (x) { %><%~ include('@maint', { h: it.h, x: x }) %><% }) %></section><% } %>
<% if (it.factChecks.length) { %><section class="card" aria-labelledby="h-facts"><h2 id="h-facts"><%= it.h.m.factChecks %></h2>
<% it.factChecks.forEach(function (f) { %><%~ include('@factcheck', { h: it.h, f: f }) %><% }) %></section><% } %>
<%~ include('@components', { h: it.h, sections: it.sections }) %>
<section class="card subscribe" aria-labelledby="h-sub">
<h2 id="h-sub"><%= it.h.m.subscribe %></h2>
<% if (!it.emailSubscriptions) { %><p><%= it.h.m.feedsOnlyHint %></p><% } else { %>
<p><%= it.h.m.subscribeHint %></p>
<form method="post" action="<%= it.h.asset('/subscribe') %>">
<input type="hidden" name="language" value="<%= it.h.lang %>">
<div class="hp" aria-hidden="true"><label for="sub-website">Website</label><input id="sub-website" name="website" type="text" tabindex="-1" autocomplete="off"></div>
<label for="sub-email"><%= it.h.m.email %></label>
<div class="row"><input id="sub-email" name="email" type="email" required autocomplete="email" maxlength="254"><button type="submit"><%= it.h.m.subscribeButton %></button></div>
<% if (it.subServices.length) { %><details class="sub-services"><summary><%= it.h.m.chooseServices %></summary>
<% it.subServices.forEach(function (c) { %><label class="check"><input type="checkbox" name="services" value="<%= c.key %>"> <%= c.name %></label>
<% }) %></details><% } %>
</form><% } %>
</section>
<p class="history-link"><a href="<%= it.h.href('/history') %>"><%= it.h.m.history %> →</a></p>`,
  '@announcement': `<% layout('@layout', { h: it.h, title: it.title, feedBase: '' }) %>
<p class="crumb"><a href="<%= it.h.href('/') %>">← <%= it.h.m.backHome %></a></p>
<article class="card ann impact-<%= it.a.impact %>">
<header class="ann-head"><h1><%= it.a.title %></h1><span class="status st-<%= it.a.status %>"><%= it.a.statusLabel %></span></header>
<p class="meta"><%= it.h.m.impactLabel %><%= it.h.m.colon %><%= it.a.impactLabel %></p>
<%~ include('@facts', { rows: it.a.facts }) %>
</article>
<% if (it.a.investigation) { %><section class="card investigation" aria-labelledby="h-inv"><h2 id="h-inv"><%= it.h.m.investigation %></h2>
<p class="meta"><time datetime="<%= it.h.iso(it.a.investigation.at) %>"><%= it.h.time(it.a.investigation.at) %></time></p><div class="rich"><%~ it.a.investigation.body %></div></section><% } %>
<section class="card" aria-labelledby="h-upd"><h2 id="h-upd"><%= it.h.m.updates %></h2>
<ol class="timeline">
<% it.a.updates.forEach(function (u) { %><li id="update-<%= u.id %>"><p class="meta"><span class="status st-<%= u.status %>"><%= u.statusLabel %></span> <time datetime="<%= it.h.iso(u.at) %>"><%= it.h.time(u.at) %></time></p><div class="rich"><%~ u.body %></div></li>
<% }) %></ol>
</section>
<% if (it.a.faq.length) { %><section class="card" aria-labelledby="h-faq"><h2 id="h-faq"><%= it.h.m.faq %></h2>
<% it.a.faq.forEach(function (q) { %><details class="faq" open><summary><%= q.question %></summary><div class="rich"><%~ q.answer %></div></details><% }) %></section><% } %>
<% if (it.a.factChecks.length) { %><section class="card" aria-labelledby="h-facts"><h2 id="h-facts"><%= it.h.m.factChecks %></h2>
<% it.a.factChecks.forEach(function (f) { %><%~ include('@factcheck', { h: it.h, f: f }) %><% }) %></section><% } %>`,
  '@history': `<% layout('@layout', { h: it.h, title: it.title, feedBase: '' }) %>
<h1 class="page-title"><%= it.h.m.history %></h1>
<% if (it.items.length === 0) { %><p class="card empty"><%= it.h.m.noHistory %></p><% } %>
<ul class="card history">
<% it.items.forEach(function (a) { %><li><a href="<%= a.href %>"><%= a.title %></a><span class="status st-<%= a.status %>"><%= a.statusLabel %></span><p class="meta"><time datetime="<%= it.h.iso(a.at) %>"><%= it.h.time(a.at) %></time><% if (a.services) { %> · <%= a.services %><% } %></p></li>
<% }) %></ul>
<nav class="pager"><% if (it.newer) { %><a href="<%= it.newer %>">← <%= it.h.m.newer %></a><% } %><span><%= it.pageLabel %></span><% if (it.older) { %><a href="<%= it.older %>"><%= it.h.m.older %> →</a><% } %></nav>`,
  '@service': `<% layout('@layout', { h: it.h, title: it.title, feedBase: it.feedBase }) %>
<p class="crumb"><a href="<%= it.h.href('/') %>">← <%= it.h.m.backHome %></a></p>
<section class="card">
<header class="ann-head"><h1><%= it.c.name %></h1><span class="state s-<%= it.c.state %>"><%= it.c.stateLabel %></span></header>
<p><%= it.c.description %></p>
<p class="meta"><%= it.h.m.since %> <time datetime="<%= it.h.iso(it.c.since) %>"><%= it.h.time(it.c.since) %></time></p>
<%~ include('@bars', { h: it.h, days: it.c.days, label: it.c.uptimeLabel }) %>
</section>
<section aria-labelledby="h-rel"><h2 id="h-rel" class="section-title"><%= it.h.m.serviceHistory %></h2>
<% if (it.items.length === 0) { %><p class="card empty"><%= it.h.m.noHistory %></p><% } %>
<% it.items.forEach(function (a) { %><%~ include('@annCard', { h: it.h, a: a }) %><% }) %></section>
<% if (it.maintenances.length) { %><section aria-labelledby="h-maint"><h2 id="h-maint" class="section-title"><%= it.h.m.maintenances %></h2>
<% it.maintenances.forEach(function (x) { %><%~ include('@maint', { h: it.h, x: x }) %><% }) %></section><% } %>`,
  '@maintenance': `<% layout('@layout', { h: it.h, title: it.title, feedBase: '' }) %>
<p class="crumb"><a href="<%= it.h.href('/') %>">← <%= it.h.m.backHome %></a></p>
<%~ include('@maint', { h: it.h, x: it.x }) %>`,
  '@notFound': `<% layout('@layout', { h: it.h, title: it.title, feedBase: '' }) %>
<section class="card"><h1><%= it.h.m.notFound %></h1><p><%= it.h.m.notFoundHint %></p><p><a href="<%= it.h.href('/') %>"><%= it.h.m.backHome %></a></p></section>`,
};

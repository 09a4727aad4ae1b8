/**
 * `banner.js`: a small script a firm's own site or app web view embeds
 * (`<script src="https://status.example.com/banner.js" async></script>`). It fetches status.json from
 * the same place (CORS `*`) and, when something is not operational, shows a bar at the top of the page
 * with the description and a link to the status page. DOM built with textContent only.
 */
import { messages, type SiteLang } from './i18n.js';
import { safeJson } from './statuspage-api.js';

export function renderBanner(lang: SiteLang): string {
  const m = messages(lang);
  const texts = safeJson({ more: m.bannerMore, lang });
  return `/* Tocsin status banner */
(function () {
  'use strict';
  var T = ${texts};
  var me = document.currentScript;
  if (!me || !window.fetch) return;
  var src = new URL(me.src, document.baseURI);
  var base = src.href.replace(/\\/banner\\.js(\\?.*)?$/, '');
  fetch(base + '/api/v2/status.json?lang=' + T.lang, { credentials: 'omit' })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (d) {
      if (!d || !d.status || d.status.indicator === 'none') return;
      var colors = { minor: '#b7791f', major: '#c05621', critical: '#c62828' };
      var bar = document.createElement('div');
      bar.setAttribute('role', 'status');
      bar.setAttribute('data-tocsin-banner', d.status.indicator);
      var s = bar.style;
      s.background = colors[d.status.indicator] || '#c05621';
      s.color = '#fff';
      s.padding = '8px 16px';
      s.font = '14px/1.5 system-ui, "PingFang SC", "Microsoft YaHei", sans-serif';
      s.textAlign = 'center';
      var text = document.createElement('span');
      text.textContent = String(d.status.description) + ' ';
      var a = document.createElement('a');
      a.href = base + '?lang=' + T.lang;
      a.textContent = T.more + ' \\u2192';
      a.style.color = '#fff';
      a.style.textDecoration = 'underline';
      bar.appendChild(text);
      bar.appendChild(a);
      document.body.insertBefore(bar, document.body.firstChild);
    })
    .catch(function () {});
})();
`;
}

/**
 * The help portal's pages (server-rendered, no inline script or style: the CSP allows neither): the
 * status site's style sheet and header, a form that works without JavaScript, every field escaped.
 * `help.js` only filters the FAQ list as the customer types.
 */
import type { Bilingual } from '../../../shared/status-site.js';
import { esc, type PortalCtx, type PortalLang, pickText, portalPage } from '../../../site/index.js';
import type { PortalFaq } from './inquiry-context.js';
import type { PortalCheck } from './inquiry-portal.service.js';

export type Lang = PortalLang;
export { esc };
const pick = pickText;

const M = {
  'zh-CN': {
    help: '客户咨询',
    statusPage: '服务状态',
    switchTo: 'English',
    skip: '跳到正文',
    askTitle: '向我们提问',
    askIntro: '请先看看下面的常见问题；没有找到答案，可以填写表单，我们会尽快答复。',
    faq: '常见问题',
    faqFilter: '输入关键词筛选常见问题',
    noFaq: '暂无常见问题。',
    about: '咨询事项',
    other: '其他问题',
    name: '姓名',
    phone: '手机号码',
    email: '电子邮件',
    contactHint: '手机号码和电子邮件至少填写一项，查询答复时需要用到。',
    question: '您的问题',
    submit: '提交',
    thanks: '已收到您的问题',
    yourRef: '您的咨询编号',
    keepRef: '请保存此编号。查询答复时，请输入编号以及提交时填写的手机号码或电子邮件。',
    checkTitle: '查询答复',
    checkIntro: '输入咨询编号以及提交时填写的手机号码或电子邮件。',
    reference: '咨询编号',
    contact: '手机号码或电子邮件',
    check: '查询',
    notFound: '未找到匹配的咨询。请核对编号以及提交时填写的手机号码或电子邮件。',
    status: { new: '已受理', assigned: '处理中', answered: '已答复', closed: '已结束' } as Record<string, string>,
    statusLabel: '状态',
    yourQuestion: '您的问题',
    answer: '答复',
    noAnswer: '我们正在处理，请稍后再来查询。',
    survey: '您对本次答复满意吗？',
    rating: '评分（1 = 很不满意，5 = 非常满意）',
    comment: '意见（选填）',
    send: '提交评价',
    surveyThanks: '感谢您的评价！',
    surveyDone: '您已评价过本次答复，谢谢。',
    surveyInvalid: '评价链接无效或已使用。',
    askLink: '提问',
    checkLink: '查询答复',
    compLink: '补偿方案',
    invalid: '请检查填写的内容：姓名、问题，以及手机号码或电子邮件（至少一项）。',
    throttled: (s: string) => `请求过于频繁，请 ${s} 秒后再试。`,
    back: '返回',
  },
  en: {
    help: 'Customer help',
    statusPage: 'Service status',
    switchTo: '中文',
    skip: 'Skip to content',
    askTitle: 'Ask us a question',
    askIntro:
      'Have a look at the common questions below first; if yours is not there, send us the form and we will answer soon.',
    faq: 'Common questions',
    faqFilter: 'Type to filter the common questions',
    noFaq: 'No common questions yet.',
    about: 'About',
    other: 'Something else',
    name: 'Name',
    phone: 'Mobile phone',
    email: 'Email',
    contactHint: 'Give a phone number or an email address (or both): you need it to check the answer.',
    question: 'Your question',
    submit: 'Send',
    thanks: 'We have your question',
    yourRef: 'Your reference',
    keepRef: 'Keep this reference. To check the answer, enter it with the phone number or email you gave.',
    checkTitle: 'Check the answer',
    checkIntro: 'Enter your reference and the phone number or email you gave when asking.',
    reference: 'Reference',
    contact: 'Phone or email',
    check: 'Check',
    notFound: 'No matching question. Check the reference and the phone number or email you gave.',
    status: { new: 'Received', assigned: 'In progress', answered: 'Answered', closed: 'Closed' } as Record<
      string,
      string
    >,
    statusLabel: 'Status',
    yourQuestion: 'Your question',
    answer: 'Answer',
    noAnswer: 'We are working on it; please check again later.',
    survey: 'Were you satisfied with this answer?',
    rating: 'Rating (1 = very unsatisfied, 5 = very satisfied)',
    comment: 'Comment (optional)',
    send: 'Send rating',
    surveyThanks: 'Thank you for your feedback!',
    surveyDone: 'You have already rated this answer. Thank you.',
    surveyInvalid: 'This survey link is not valid or was already used.',
    askLink: 'Ask',
    checkLink: 'Check an answer',
    compLink: 'Compensation',
    invalid: 'Please check the form: your name, your question, and a phone number or email (at least one).',
    throttled: (s: string) => `Too many requests; try again in ${s} seconds.`,
    back: 'Back',
  },
};
export type PortalText = (typeof M)['en'];
export const textOf = (lang: Lang): PortalText => M[lang];

/** The reader's language, '/status' on the main listener ('' on the public one), the site's name. */
export type PageCtx = PortalCtx;

const href = (ctx: PageCtx, path: string, lang = ctx.lang) => `${ctx.prefix}${path}${lang === 'en' ? '?lang=en' : ''}`;

function layout(ctx: PageCtx, title: string, body: string, switchPath: string): string {
  const m = M[ctx.lang];
  const other: Lang = ctx.lang === 'en' ? 'zh-CN' : 'en';
  return portalPage(ctx, {
    title,
    body,
    part: m.help,
    nav: [
      { href: href(ctx, '/help'), label: m.askLink },
      { href: href(ctx, '/help/check'), label: m.checkLink },
      { href: href(ctx, '/compensation'), label: m.compLink },
      { href: ctx.prefix || '/', label: m.statusPage },
    ],
    switchTo: { href: href(ctx, switchPath, other), label: m.switchTo },
    skip: m.skip,
    css: ['/help/help.css'],
    script: '/help/help.js',
  });
}

export interface AskPageData {
  topics: { incidentId: string; title: Bilingual; faq: PortalFaq[] }[];
  /** What the customer typed, when the form comes back with a problem. */
  values?: Record<string, string>;
  error?: string;
}

/** `/help`: the FAQ of the ongoing incidents, and the form. */
export function askPage(ctx: PageCtx, d: AskPageData): string {
  const m = M[ctx.lang];
  const v = d.values ?? {};
  const faq = d.topics.flatMap((t) => t.faq.map((f) => ({ f, about: pick(t.title, ctx.lang) })));
  const faqHtml = faq.length
    ? `<input type="search" id="faq-filter" class="faq-filter" placeholder="${esc(m.faqFilter)}" aria-label="${esc(m.faqFilter)}" hidden>
<ul class="faq-list" id="faq-list">${faq
        .map(
          ({ f, about }) =>
            `<li class="faq-item"><details><summary>${esc(pick(f.question, ctx.lang))}</summary><div class="rich">${pick(f.answer, ctx.lang)}</div><p class="meta">${esc(about)}</p></details></li>`,
        )
        .join('\n')}</ul>`
    : `<p class="empty">${esc(m.noFaq)}</p>`;
  const options = [
    ...d.topics.map(
      (t) =>
        `<option value="${esc(t.incidentId)}"${v.incident === t.incidentId ? ' selected' : ''}>${esc(pick(t.title, ctx.lang))}</option>`,
    ),
    `<option value="other"${!v.incident || v.incident === 'other' ? ' selected' : ''}>${esc(m.other)}</option>`,
  ].join('');
  const body = `<h1 class="page-title">${esc(m.askTitle)}</h1>
<p>${esc(m.askIntro)}</p>
<section class="card" aria-labelledby="h-faq"><h2 id="h-faq">${esc(m.faq)}</h2>${faqHtml}</section>
<section class="card" aria-labelledby="h-ask"><h2 id="h-ask">${esc(m.askTitle)}</h2>
${d.error ? `<p class="form-error" role="alert">${esc(d.error)}</p>` : ''}
<form method="post" action="${esc(href(ctx, '/help'))}" class="help-form">
<input type="hidden" name="language" value="${ctx.lang}">
<label>${esc(m.about)}<select name="incident">${options}</select></label>
<label>${esc(m.name)}<input name="name" required maxlength="100" autocomplete="name" value="${esc(v.name ?? '')}"></label>
<label>${esc(m.phone)}<input name="phone" type="tel" maxlength="32" autocomplete="tel" value="${esc(v.phone ?? '')}"></label>
<label>${esc(m.email)}<input name="email" type="email" maxlength="320" autocomplete="email" value="${esc(v.email ?? '')}"></label>
<p class="hint">${esc(m.contactHint)}</p>
<label>${esc(m.question)}<textarea name="question" id="question" required maxlength="4000" rows="5">${esc(v.question ?? '')}</textarea></label>
<label class="hp" aria-hidden="true">Website<input name="website" tabindex="-1" autocomplete="off"></label>
<button type="submit">${esc(m.submit)}</button>
</form></section>`;
  return layout(ctx, m.askTitle, body, '/help');
}

/** After asking: the reference to keep. */
export function referencePage(ctx: PageCtx, reference: string): string {
  const m = M[ctx.lang];
  const body = `<h1 class="page-title">${esc(m.thanks)}</h1>
<section class="card"><p>${esc(m.yourRef)}</p><p class="reference" id="reference">${esc(reference)}</p><p>${esc(m.keepRef)}</p>
<p><a href="${esc(href(ctx, '/help/check'))}">${esc(m.checkLink)} →</a></p></section>`;
  return layout(ctx, m.thanks, body, '/help');
}

export interface CheckPageData {
  values?: { reference?: string; contact?: string };
  result?: PortalCheck | null;
  message?: string;
}

/** `/help/check`: the form, and the status and answer when reference and contact matched. */
export function checkPage(ctx: PageCtx, d: CheckPageData): string {
  const m = M[ctx.lang];
  const v = d.values ?? {};
  const r = d.result;
  let result = '';
  if (r === null) result = `<p class="form-error" role="alert">${esc(m.notFound)}</p>`;
  if (r) {
    const survey = r.surveyToken
      ? `<form method="post" action="${esc(href(ctx, '/help/feedback'))}" class="help-form survey">
<h3>${esc(m.survey)}</h3>
<input type="hidden" name="reference" value="${esc(r.reference)}"><input type="hidden" name="token" value="${esc(r.surveyToken)}">
<fieldset class="stars"><legend>${esc(m.rating)}</legend>${[1, 2, 3, 4, 5]
          .map((n) => `<label><input type="radio" name="rating" value="${n}" required> ${n}</label>`)
          .join('')}</fieldset>
<label>${esc(m.comment)}<textarea name="comment" maxlength="2000" rows="3"></textarea></label>
<button type="submit">${esc(m.send)}</button></form>`
      : r.rating !== null
        ? `<p class="meta">${esc(m.surveyDone)}</p>`
        : '';
    result = `<section class="card result" id="result">
<p><span class="label">${esc(m.reference)}</span> <strong>${esc(r.reference)}</strong> · <span class="label">${esc(m.statusLabel)}</span> <span class="status st-${esc(r.status)}">${esc(m.status[r.status] ?? r.status)}</span></p>
<h3>${esc(m.yourQuestion)}</h3><p class="pre">${esc(r.question)}</p>
<h3>${esc(m.answer)}</h3>${r.answer === null ? `<p class="empty">${esc(m.noAnswer)}</p>` : `<p class="pre answer" id="answer">${esc(r.answer)}</p>`}
${survey}</section>`;
  }
  const body = `<h1 class="page-title">${esc(m.checkTitle)}</h1>
${d.message ? `<p class="card notice" role="status">${esc(d.message)}</p>` : ''}
<section class="card"><p>${esc(m.checkIntro)}</p>
<form method="post" action="${esc(href(ctx, '/help/check'))}" class="help-form">
<label>${esc(m.reference)}<input name="reference" required maxlength="20" autocapitalize="characters" placeholder="Q-XXXX-XXXX" value="${esc(v.reference ?? '')}"></label>
<label>${esc(m.contact)}<input name="contact" required maxlength="320" value="${esc(v.contact ?? '')}"></label>
<button type="submit">${esc(m.check)}</button>
</form></section>
${result}`;
  return layout(ctx, m.checkTitle, body, '/help/check');
}

/** A page with one message (throttled, survey answered...). */
export function messagePage(ctx: PageCtx, title: string, message: string): string {
  const body = `<h1 class="page-title">${esc(title)}</h1><section class="card"><p>${esc(message)}</p>
<p><a href="${esc(href(ctx, '/help'))}">${esc(M[ctx.lang].back)}</a></p></section>`;
  return layout(ctx, title, body, '/help');
}

export const HELP_CSS = `.help-form label{display:block;margin:0 0 12px;font-weight:600}
.help-form input:not([type=radio]),.help-form select,.help-form textarea{display:block;width:100%;margin-top:4px;padding:8px 10px;font:inherit;font-weight:400;border:1px solid #c3cad4;border-radius:4px;background:#fff}
.help-form button{font:inherit;padding:8px 24px;border:0;border-radius:4px;background:var(--navy);color:#fff;cursor:pointer}
.help-form .hint,.meta{color:var(--muted);font-size:13px;margin:-4px 0 12px}
.hp{position:absolute;left:-9999px}
.form-error{color:var(--major);font-weight:600}
.reference{font-size:28px;font-weight:700;letter-spacing:.08em;font-family:ui-monospace,Menlo,Consolas,monospace}
.pre{white-space:pre-wrap;word-break:break-word}
.stars{border:0;padding:0;margin:0 0 12px}.stars label{display:inline-block;font-weight:400;margin-right:14px}
.faq-list{list-style:none;padding:0;margin:0}.faq-item{border-top:1px solid var(--line);padding:8px 0}
.faq-item summary{cursor:pointer;font-weight:600}
.faq-filter{width:100%;padding:8px 10px;font:inherit;border:1px solid #c3cad4;border-radius:4px;margin-bottom:8px}
.label{color:var(--muted)}
.status{display:inline-block;border-radius:3px;padding:0 8px;font-size:13px;background:#e8edf3}
.status.st-answered{background:#e3f1e4;color:var(--ok)}.status.st-closed{background:#eceff3;color:var(--muted)}
`;

/** Progressive enhancement: the FAQ filter box appears and filters the list as the customer types. */
export const HELP_JS = `(function () {
  var box = document.getElementById('faq-filter');
  var list = document.getElementById('faq-list');
  if (!box || !list) return;
  box.hidden = false;
  var items = [].slice.call(list.querySelectorAll('.faq-item'));
  // Latin words of 3+ letters, and pairs of CJK characters (Chinese has no spaces).
  function tokens(q) {
    var out = [];
    (q.toLowerCase().match(/[a-z0-9]{3,}|[\\u3400-\\u9fff]+/g) || []).forEach(function (w) {
      if (/^[a-z0-9]/.test(w)) out.push(w);
      else if (w.length < 2) out.push(w);
      else for (var i = 0; i + 1 < w.length; i++) out.push(w.slice(i, i + 2));
    });
    return out;
  }
  function run(q, any) {
    var t = tokens(q || '');
    items.forEach(function (li) {
      var text = li.textContent.toLowerCase();
      li.hidden = t.length > 0 && !(any ? t.some : t.every).call(t, function (w) { return text.indexOf(w) >= 0; });
    });
  }
  box.addEventListener('input', function () { run(box.value, false); });
  var question = document.getElementById('question');
  if (question) question.addEventListener('input', function () { if (!box.value) run(question.value, true); });
})();
`;

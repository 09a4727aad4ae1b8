/**
 * The compensation pages of the public portal (server-rendered beside the help portal, with its style
 * sheets and header; no inline script or style: the CSP allows neither; every value escaped): the
 * reference form, the one-time code form, and the offer with the customer's three answers. The forms
 * are plain POSTs that work without JavaScript.
 */
import { esc, type PortalCtx, portalPage } from '../../../site/index.js';
import { basisText, beijingMinute, goodwillText, moneyText, type CustomerLang } from './customer-words.js';
import type { PortalOffer } from './portal.service.js';

export type Lang = CustomerLang;

const M = {
  'zh-CN': {
    help: '客户咨询',
    statusPage: '服务状态',
    askLink: '提问',
    compLink: '补偿方案',
    switchTo: 'English',
    skip: '跳到正文',
    title: '您的补偿方案',
    startIntro: '请输入补偿通知中的补偿编号（CMP- 开头）。我们会向您预留的手机号码发送 6 位短信验证码。',
    reference: '补偿编号',
    sendCode: '发送验证码',
    codeTitle: '输入短信验证码',
    codeIntro: '如果补偿编号正确，我们已向您预留的手机号码发送了 6 位验证码，10 分钟内有效。',
    code: '短信验证码',
    verify: '查看补偿方案',
    resend: '重新发送验证码',
    resent: '如果补偿编号正确，新的验证码已发送，之前的验证码已失效。',
    wrongCode: '补偿编号或验证码不正确，或验证码已过期、尝试次数过多。请核对后重试，或重新发送验证码。',
    badRef: '请输入正确的补偿编号，例如 CMP-ABCD-EFGH-JKMN。',
    sessionEnded: '您的查看已超时，请重新输入补偿编号获取验证码。',
    status: {
      proposed: '已受理，待评估',
      under_assessment: '评估中',
      offered: '待您答复',
      countered: '我们正在考虑您的意见',
      accepted: '您已接受',
      approved: '已审批，待支付',
      paid: '已支付',
      declined: '已拒绝',
      referred: '调解中',
    } as Record<string, string>,
    statusLabel: '状态',
    amount: '补偿金额',
    basis: '依据',
    goodwill: '另附善意补偿',
    phoneOnFile: '通知将发送至',
    acceptTitle: '接受补偿方案',
    acceptHint: '接受后，款项经内部审批后支付至您的资金账户，我们会发送短信回执。',
    accept: '接受',
    counterTitle: '提出您的意见',
    counterAmount: '您认为合理的金额（元）',
    counterReason: '理由',
    counter: '提交意见',
    declineTitle: '拒绝补偿方案',
    declineReason: '拒绝原因',
    decline: '拒绝',
    counteredNote: (a: string) => `您提出的金额 ${a} 已收到，我们会尽快答复。`,
    acceptedNote: (t: string) => `您已于 ${t}（北京时间）接受本补偿方案。款项经审批后支付，届时另行通知。`,
    paidNote: '补偿款已支付至您的资金账户。',
    declinedNote: '本补偿方案已拒绝。',
    referredNote: '本补偿正在调解中，调解机构会与您联系。',
    done: {
      accepted: '感谢您的确认：您已接受补偿方案，回执将以短信发送。',
      countered: '您的意见已提交，我们会尽快答复。',
      declined: '您已拒绝补偿方案。我们仍为您提供以下善意补偿。',
      changed: '在您查看期间补偿方案已更新。请查看下面的最新方案后再答复。',
      closed: '本补偿方案目前无法在线答复。',
    } as Record<string, string>,
    invalidCounter: '请填写大于 0 的金额（最多两位小数）和理由。',
    invalidDecline: '请填写拒绝原因。',
    forbidden: '此表单已失效，请刷新页面后重试。',
    throttled: (s: string) => `请求过于频繁，请 ${s} 秒后再试。`,
    back: '返回',
    assessingNote: '我们正在评估您的申请，评估完成后会通过短信通知您补偿方案。',
    noRefYet: '还没有补偿编号？',
    fileLink: '提交补偿申请',
  },
  en: {
    help: 'Customer help',
    statusPage: 'Service status',
    askLink: 'Ask',
    compLink: 'Compensation',
    switchTo: '中文',
    skip: 'Skip to content',
    title: 'Your compensation offer',
    startIntro:
      'Enter the reference in your compensation notice (it starts with CMP-). We will text a 6-digit code to the phone number we have for you.',
    reference: 'Reference',
    sendCode: 'Send the code',
    codeTitle: 'Enter the code we texted you',
    codeIntro:
      'If the reference is right, we have texted a 6-digit code to the phone number we have for you. It is valid for 10 minutes.',
    code: 'Code',
    verify: 'See my offer',
    resend: 'Send a new code',
    resent: 'If the reference is right, a new code is on its way; the earlier one no longer works.',
    wrongCode:
      'The reference or the code is not right, or the code has expired or was tried too often. Check them and try again, or ask for a new code.',
    badRef: 'Enter a compensation reference such as CMP-ABCD-EFGH-JKMN.',
    sessionEnded: 'Your session has ended. Enter your reference again to get a new code.',
    status: {
      proposed: 'Received, to be assessed',
      under_assessment: 'Being assessed',
      offered: 'Awaiting your answer',
      countered: 'We are considering your answer',
      accepted: 'Accepted',
      approved: 'Approved, to be paid',
      paid: 'Paid',
      declined: 'Declined',
      referred: 'In mediation',
    } as Record<string, string>,
    statusLabel: 'Status',
    amount: 'Amount',
    basis: 'Basis',
    goodwill: 'Goodwill gesture',
    phoneOnFile: 'Notices go to',
    acceptTitle: 'Accept the offer',
    acceptHint: 'Once approved, the amount is paid into your funds account; we text you a receipt.',
    accept: 'Accept',
    counterTitle: 'Answer with your own figure',
    counterAmount: 'The amount you think is fair (yuan)',
    counterReason: 'Why',
    counter: 'Send my answer',
    declineTitle: 'Decline the offer',
    declineReason: 'Why you decline',
    decline: 'Decline',
    counteredNote: (a: string) => `We have your answer of ${a} and will reply soon.`,
    acceptedNote: (t: string) =>
      `You accepted this offer at ${t} (Beijing time). It is paid once approved; we will tell you when.`,
    paidNote: 'The compensation has been paid into your funds account.',
    declinedNote: 'This offer was declined.',
    referredNote: 'This claim is in mediation; the mediator will contact you.',
    done: {
      accepted: 'Thank you: you have accepted the offer. A receipt is on its way by text message.',
      countered: 'Your answer is sent; we will reply soon.',
      declined: 'You have declined the offer. We still offer you the goodwill gesture below.',
      changed: 'The offer changed while you were reading it. Please look at the current offer below before answering.',
      closed: 'This offer cannot be answered online now.',
    } as Record<string, string>,
    invalidCounter: 'Give an amount above zero (at most two decimals) and your reason.',
    invalidDecline: 'Please say why you decline.',
    forbidden: 'This form has expired. Reload the page and try again.',
    throttled: (s: string) => `Too many requests; try again in ${s} seconds.`,
    back: 'Back',
    assessingNote: 'We are assessing your claim and will text you when an offer is ready.',
    noRefYet: 'No reference yet?',
    fileLink: 'File a compensation claim',
  },
};
export type CompensationText = (typeof M)['en'];
export const compensationText = (lang: Lang): CompensationText => M[lang];

/** The reader's language, '/status' on the main listener ('' on the public one), the site's name. */
export type PageCtx = PortalCtx;

/** A portal path with the reader's language kept (English is asked for; Chinese is the default). */
export function portalHref(ctx: PageCtx, path: string, query: Record<string, string> = {}, lang = ctx.lang): string {
  const q = new URLSearchParams(query);
  if (lang === 'en') q.set('lang', 'en');
  const s = q.toString();
  return `${ctx.prefix}${path}${s ? `?${s}` : ''}`;
}

export function layout(
  ctx: PageCtx,
  title: string,
  body: string,
  switchPath: string,
  switchQuery: Record<string, string> = {},
) {
  const m = M[ctx.lang];
  const other: Lang = ctx.lang === 'en' ? 'zh-CN' : 'en';
  return portalPage(ctx, {
    title,
    body,
    part: m.compLink,
    nav: [
      { href: portalHref(ctx, '/help'), label: m.askLink },
      { href: portalHref(ctx, '/compensation'), label: m.compLink },
      { href: ctx.prefix || '/', label: m.statusPage },
    ],
    switchTo: { href: portalHref(ctx, switchPath, switchQuery, other), label: m.switchTo },
    skip: m.skip,
    css: ['/help/help.css', '/compensation/compensation.css'],
  });
}

export const formError = (text?: string) =>
  text ? `<p class="form-error" role="alert" id="form-error">${esc(text)}</p>` : '';
export const noticeBox = (text?: string) =>
  text ? `<p class="card notice" role="status" id="notice">${esc(text)}</p>` : '';

/** `/compensation`: the reference form. */
export function startPage(ctx: PageCtx, d: { reference?: string; error?: string; message?: string }): string {
  const m = M[ctx.lang];
  const body = `<h1 class="page-title">${esc(m.title)}</h1>
${noticeBox(d.message)}
<section class="card"><p>${esc(m.startIntro)}</p>${formError(d.error)}
<form method="post" action="${esc(portalHref(ctx, '/compensation'))}" class="help-form">
<input type="hidden" name="language" value="${ctx.lang}">
<label>${esc(m.reference)}<input name="reference" required maxlength="40" autocapitalize="characters" autocomplete="off" placeholder="CMP-XXXX-XXXX-XXXX" value="${esc(d.reference ?? '')}"></label>
<button type="submit">${esc(m.sendCode)}</button>
</form></section>
<p class="file-link">${esc(m.noRefYet)} <a href="${esc(portalHref(ctx, '/compensation/file'))}" id="file-link">${esc(m.fileLink)}</a></p>`;
  return layout(ctx, m.title, body, '/compensation');
}

/** `/compensation/code`: the code form (the same whatever the reference was), and "send a new code". */
export function codePage(ctx: PageCtx, d: { reference: string; error?: string; resent?: boolean }): string {
  const m = M[ctx.lang];
  const ref = `<input type="hidden" name="reference" value="${esc(d.reference)}"><input type="hidden" name="language" value="${ctx.lang}">`;
  const body = `<h1 class="page-title">${esc(m.codeTitle)}</h1>
${noticeBox(d.resent ? m.resent : undefined)}
<section class="card"><p>${esc(m.codeIntro)}</p>
<p><span class="label">${esc(m.reference)}</span> <strong class="ref">${esc(d.reference)}</strong></p>${formError(d.error)}
<form method="post" action="${esc(portalHref(ctx, '/compensation/code'))}" class="help-form">${ref}
<label>${esc(m.code)}<input name="code" required inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code"></label>
<button type="submit">${esc(m.verify)}</button>
</form>
<form method="post" action="${esc(portalHref(ctx, '/compensation/resend'))}" class="help-form resend">${ref}
<button type="submit" class="secondary">${esc(m.resend)}</button>
</form></section>`;
  return layout(ctx, m.codeTitle, body, '/compensation/code', { ref: d.reference });
}

/** `/compensation/offer`: the claim as it is now, and the answers while it is an open offer. */
export function offerPage(
  ctx: PageCtx,
  o: PortalOffer,
  d: { csrf: string; done?: string; error?: string; values?: Record<string, string> },
): string {
  const m = M[ctx.lang];
  const v = d.values ?? {};
  const gesture = o.goodwill ? goodwillText(o.goodwill.kind, o.goodwill.amountMinor, ctx.lang) : null;
  const hidden = `<input type="hidden" name="csrf" value="${esc(d.csrf)}"><input type="hidden" name="version" value="${o.version}"><input type="hidden" name="language" value="${ctx.lang}">`;
  const action = (what: string) => esc(portalHref(ctx, `/compensation/offer/${what}`));
  let answers = '';
  if (o.status === 'offered')
    answers = `<section class="card" aria-labelledby="h-accept"><h2 id="h-accept">${esc(m.acceptTitle)}</h2><p>${esc(m.acceptHint)}</p>
<form method="post" action="${action('accept')}" class="help-form">${hidden}<button type="submit" id="accept">${esc(m.accept)}</button></form></section>
<section class="card" aria-labelledby="h-counter"><h2 id="h-counter">${esc(m.counterTitle)}</h2>
<form method="post" action="${action('counter')}" class="help-form">${hidden}
<label>${esc(m.counterAmount)}<input name="amount" required inputmode="decimal" maxlength="16" value="${esc(v.amount ?? '')}"></label>
<label>${esc(m.counterReason)}<textarea name="reason" required maxlength="1000" rows="3">${esc(v.reason ?? '')}</textarea></label>
<button type="submit" id="counter">${esc(m.counter)}</button></form></section>
<section class="card" aria-labelledby="h-decline"><h2 id="h-decline">${esc(m.declineTitle)}</h2>
<form method="post" action="${action('decline')}" class="help-form">${hidden}
<label>${esc(m.declineReason)}<textarea name="reason" required maxlength="1000" rows="3"></textarea></label>
<button type="submit" id="decline" class="secondary">${esc(m.decline)}</button></form></section>`;
  const assessing = o.status === 'proposed' || o.status === 'under_assessment';
  const state = assessing
    ? m.assessingNote
    : o.status === 'countered' && o.claimedMinor !== null
      ? m.counteredNote(moneyText(o.claimedMinor, ctx.lang))
      : (o.status === 'accepted' || o.status === 'approved') && o.acceptedAt !== null
        ? m.acceptedNote(beijingMinute(o.acceptedAt))
        : o.status === 'paid'
          ? m.paidNote
          : o.status === 'declined'
            ? m.declinedNote
            : o.status === 'referred'
              ? m.referredNote
              : null;
  const body = `<h1 class="page-title">${esc(m.title)}</h1>
${noticeBox(d.done ? m.done[d.done] : undefined)}${formError(d.error)}
<section class="card offer" id="offer">
<p><span class="label">${esc(m.reference)}</span> <strong class="ref">${esc(o.ref)}</strong> · <span class="label">${esc(m.statusLabel)}</span> <span class="status st-${esc(o.status)}" id="status">${esc(m.status[o.status] ?? o.status)}</span></p>
${
  assessing
    ? ''
    : `<p class="amount"><span class="label">${esc(m.amount)}</span> <strong id="amount">${esc(moneyText(o.amountMinor, ctx.lang))}</strong></p>
<p><span class="label">${esc(m.basis)}</span> <span id="basis">${esc(basisText(o.basis, ctx.lang))}</span></p>`
}
${gesture ? `<p><span class="label">${esc(m.goodwill)}</span> <span id="goodwill">${esc(gesture)}</span></p>` : ''}
${state ? `<p class="cmp-state" id="state">${esc(state)}</p>` : ''}
${o.phoneMasked ? `<p class="meta">${esc(m.phoneOnFile)} ${esc(o.phoneMasked)}</p>` : ''}
</section>
${answers}`;
  return layout(ctx, m.title, body, '/compensation/offer');
}

/** A page with one message (throttled, a form that expired). */
export function messagePage(ctx: PageCtx, message: string): string {
  const m = M[ctx.lang];
  const body = `<h1 class="page-title">${esc(m.title)}</h1><section class="card"><p id="message">${esc(message)}</p>
<p><a href="${esc(portalHref(ctx, '/compensation'))}">${esc(m.back)}</a></p></section>`;
  return layout(ctx, m.title, body, '/compensation');
}

export const COMPENSATION_CSS = `.offer .amount strong{font-size:28px;font-weight:700}
.ref{font-family:ui-monospace,Menlo,Consolas,monospace;letter-spacing:.04em}
.cmp-state{font-weight:600;white-space:normal}
.help-form button.secondary{background:#fff;color:var(--navy);border:1px solid var(--navy)}
.resend{margin-top:12px}
.status.st-accepted,.status.st-approved,.status.st-paid{background:#e3f1e4;color:var(--ok)}
.status.st-declined{background:#eceff3;color:var(--muted)}
`;

/**
 * The portal's pages for filing a claim (server-rendered, no inline script or style, every value
 * escaped): the incident and who the customer is, the one-time code, the claim form with files
 * (multipart, works without JavaScript), and the receipt with the claim's reference.
 */
import { esc, pickText } from '../../../site/index.js';
import { ATTACHMENT_TYPES, ATTACHMENTS_PER_UPLOAD } from '../../../shared/compensation-filing-schemas.js';
import type { FilingView, OpenIncident } from './filing.service.js';
import { beijingMinute } from './customer-words.js';
import { compensationText, formError, layout, noticeBox, type PageCtx, portalHref } from './portal-views.js';

const M = {
  'zh-CN': {
    title: '提交补偿申请',
    intro:
      '如果本次事件给您造成了损失，请在此提交补偿申请。请选择事件，填写客户号或资金账号，以及在我司预留的手机号码；我们会向该号码发送 6 位短信验证码。',
    none: '目前没有可在线申请补偿的事件。如有疑问，请通过「提问」联系我们。',
    incident: '事件',
    closes: (t: string) => `受理截止：${t}（北京时间）`,
    who: '客户号或资金账号',
    phone: '预留手机号码',
    sendCode: '发送验证码',
    codeTitle: '输入短信验证码',
    codeIntro: '如果您填写的信息与我司记录一致，我们已向您预留的手机号码发送了 6 位验证码，10 分钟内有效。',
    code: '短信验证码',
    verify: '继续',
    resend: '重新发送验证码',
    resent: '如果信息一致，新的验证码已发送，之前的验证码已失效。',
    wrongCode: '验证码不正确，或已过期、尝试次数过多。请核对后重试，或重新发送验证码。',
    invalidStart: '请选择事件，并填写客户号或资金账号和预留手机号码。',
    formTitle: '描述您的损失',
    existing: (ref: string, status: string) =>
      `您在本事件已有补偿申请 ${ref}（${status}）。您可以在下面补充说明和材料。`,
    description: '发生了什么，造成了哪些损失',
    amount: '您认为的损失金额（元，选填）',
    files: '证明材料（选填）',
    filesHint: `最多 ${ATTACHMENTS_PER_UPLOAD} 个文件，每个不超过 10 MB：图片（JPEG、PNG、WebP）、PDF 或文本文件。请勿上传密码或验证码。`,
    submit: '提交申请',
    submitMore: '提交补充材料',
    closed: '本事件已停止在线受理补偿申请。如有疑问，请通过「提问」联系我们。',
    invalidForm: '请描述您的损失；金额如填写，须为大于 0 的数字（最多两位小数）。',
    invalidMore: '请补充说明或选择至少一个文件。',
    doneTitle: '已收到您的申请',
    doneCreated: (ref: string) =>
      `您的补偿编号为 ${ref}。请保存此编号：我们评估后会通过短信通知您补偿方案，您也可以在「补偿方案」页面输入编号查询进度。`,
    doneAdded: (ref: string) => `您对补偿申请 ${ref} 的补充材料已收到。`,
    follow: '查询我的补偿',
    fileProblem: {
      'compensation.attachment_type': (p: Record<string, string>) =>
        `文件 ${p.file} 不是图片、PDF 或文本文件，未能提交。`,
      'compensation.attachment_too_large': (p: Record<string, string>) => `文件 ${p.file} 超过 ${p.max}，未能提交。`,
      'compensation.attachments_full': (p: Record<string, string>) =>
        `文件过多：每次最多 ${ATTACHMENTS_PER_UPLOAD} 个，每份申请最多 ${p.max} 个。`,
    } as Record<string, (p: Record<string, string>) => string>,
  },
  en: {
    title: 'File a compensation claim',
    intro:
      'If this incident caused you a loss, file a claim here. Choose the incident, give your customer number or funds account number and the mobile number you gave us; we will text a 6-digit code to that number.',
    none: 'No incident takes claims online at the moment. If you have a question, ask us.',
    incident: 'Incident',
    closes: (t: string) => `Claims close at ${t} (Beijing time)`,
    who: 'Customer number or funds account number',
    phone: 'Mobile number on file',
    sendCode: 'Send the code',
    codeTitle: 'Enter the code we texted you',
    codeIntro:
      'If your details match our records, we have texted a 6-digit code to the mobile number we have for you. It is valid for 10 minutes.',
    code: 'Code',
    verify: 'Continue',
    resend: 'Send a new code',
    resent: 'If your details match, a new code is on its way; the earlier one no longer works.',
    wrongCode:
      'The code is not right, or it has expired or was tried too often. Check it and try again, or ask for a new code.',
    invalidStart: 'Choose the incident and give your customer or account number and your mobile number.',
    formTitle: 'Describe your loss',
    existing: (ref: string, status: string) =>
      `You already have claim ${ref} (${status}) for this incident. You can add words and files to it below.`,
    description: 'What happened, and what you lost',
    amount: 'The loss you see (yuan, optional)',
    files: 'Supporting files (optional)',
    filesHint: `At most ${ATTACHMENTS_PER_UPLOAD} files of at most 10 MB each: pictures (JPEG, PNG, WebP), PDF or text. Never upload passwords or codes.`,
    submit: 'File my claim',
    submitMore: 'Send what I add',
    closed: 'This incident no longer takes claims online. If you have a question, ask us.',
    invalidForm: 'Please describe your loss; an amount, if given, must be above zero with at most two decimals.',
    invalidMore: 'Add some words or choose at least one file.',
    doneTitle: 'We have your claim',
    doneCreated: (ref: string) =>
      `Your reference is ${ref}. Keep it: we will text you an offer once we have assessed your claim, and you can follow it on the Compensation page with this reference.`,
    doneAdded: (ref: string) => `We have what you added to claim ${ref}.`,
    follow: 'Follow my claim',
    fileProblem: {
      'compensation.attachment_type': (p: Record<string, string>) =>
        `${p.file} is not a picture, a PDF or text; nothing was filed.`,
      'compensation.attachment_too_large': (p: Record<string, string>) =>
        `${p.file} is larger than ${p.max}; nothing was filed.`,
      'compensation.attachments_full': (p: Record<string, string>) =>
        `Too many files: at most ${ATTACHMENTS_PER_UPLOAD} at a time and ${p.max} a claim.`,
    } as Record<string, (p: Record<string, string>) => string>,
  },
};
export const filingText = (ctx: PageCtx) => M[ctx.lang];

const lang = (ctx: PageCtx) => `<input type="hidden" name="language" value="${ctx.lang}">`;

/** `/compensation/file`: the incidents taking claims and who the customer is. */
export function fileStartPage(
  ctx: PageCtx,
  open: OpenIncident[],
  d: { error?: string; values?: Record<string, string> } = {},
): string {
  const m = M[ctx.lang];
  const v = d.values ?? {};
  const options = open
    .map((o, i) => {
      const checked = v.incident ? v.incident === o.id : i === 0;
      const closes = o.closesAt ? ` <span class="meta">${esc(m.closes(beijingMinute(o.closesAt)))}</span>` : '';
      return `<label class="choice"><input type="radio" name="incident" value="${esc(o.id)}"${checked ? ' checked' : ''} required> ${esc(pickText(o.title, ctx.lang))}${closes}</label>`;
    })
    .join('\n');
  const form = open.length
    ? `<form method="post" action="${esc(portalHref(ctx, '/compensation/file'))}" class="help-form">${lang(ctx)}
<fieldset><legend>${esc(m.incident)}</legend>${options}</fieldset>
<label>${esc(m.who)}<input name="who" required maxlength="64" autocomplete="off" value="${esc(v.who ?? '')}"></label>
<label>${esc(m.phone)}<input name="phone" required inputmode="tel" maxlength="20" autocomplete="tel" value="${esc(v.phone ?? '')}"></label>
<button type="submit">${esc(m.sendCode)}</button>
</form>`
    : `<p id="none">${esc(m.none)}</p><p><a href="${esc(portalHref(ctx, '/help'))}">${esc(compensationText(ctx.lang).askLink)} →</a></p>`;
  const body = `<h1 class="page-title">${esc(m.title)}</h1>
<section class="card"><p>${esc(m.intro)}</p>${formError(d.error)}${form}</section>`;
  return layout(ctx, m.title, body, '/compensation/file');
}

/** `/compensation/file/code`: the code form (the same whatever the details were) and "send a new code". */
export function fileCodePage(ctx: PageCtx, d: { ticket: string; error?: string; resent?: boolean }): string {
  const m = M[ctx.lang];
  const hidden = `<input type="hidden" name="ticket" value="${esc(d.ticket)}">${lang(ctx)}`;
  const body = `<h1 class="page-title">${esc(m.codeTitle)}</h1>
${noticeBox(d.resent ? m.resent : undefined)}
<section class="card"><p>${esc(m.codeIntro)}</p>${formError(d.error)}
<form method="post" action="${esc(portalHref(ctx, '/compensation/file/code'))}" class="help-form">${hidden}
<label>${esc(m.code)}<input name="code" required inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code"></label>
<button type="submit">${esc(m.verify)}</button>
</form>
<form method="post" action="${esc(portalHref(ctx, '/compensation/file/resend'))}" class="help-form resend">${hidden}
<button type="submit" class="secondary">${esc(m.resend)}</button>
</form></section>`;
  return layout(ctx, m.codeTitle, body, '/compensation/file/code', { t: d.ticket });
}

/** `/compensation/file/claim`: the claim form (or what to add to the customer's claim), with files. */
export function fileClaimPage(
  ctx: PageCtx,
  view: FilingView,
  d: { csrf: string; error?: string; values?: Record<string, string> },
): string {
  const m = M[ctx.lang];
  const v = d.values ?? {};
  const statusText = view.claim ? (compensationText(ctx.lang).status[view.claim.status] ?? view.claim.status) : '';
  const form = view.open
    ? `<form method="post" action="${esc(portalHref(ctx, '/compensation/file/claim'))}" class="help-form" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="${esc(d.csrf)}">${lang(ctx)}
<label>${esc(m.description)}<textarea name="description" ${view.claim ? '' : 'required '}maxlength="4000" rows="6">${esc(v.description ?? '')}</textarea></label>
${view.claim ? '' : `<label>${esc(m.amount)}<input name="amount" inputmode="decimal" maxlength="16" value="${esc(v.amount ?? '')}"></label>`}
<label>${esc(m.files)}<input type="file" name="file" multiple accept="${ATTACHMENT_TYPES.join(',')}"></label>
<p class="meta">${esc(m.filesHint)}</p>
<button type="submit" id="file-submit">${esc(view.claim ? m.submitMore : m.submit)}</button>
</form>`
    : `<p id="closed">${esc(m.closed)}</p>`;
  const body = `<h1 class="page-title">${esc(m.title)}</h1>
<section class="card"><p><span class="label">${esc(m.incident)}</span> <strong id="incident">${esc(pickText(view.incident.title, ctx.lang))}</strong></p>
${view.claim ? `<p class="notice" id="existing">${esc(m.existing(view.claim.ref, statusText))}</p>` : ''}
${formError(d.error)}
<h2>${esc(m.formTitle)}</h2>
${form}</section>`;
  return layout(ctx, m.title, body, '/compensation/file/claim');
}

/** `/compensation/file/done`: the receipt. */
export function fileDonePage(ctx: PageCtx, d: { ref: string; created: boolean }): string {
  const m = M[ctx.lang];
  const body = `<h1 class="page-title">${esc(m.doneTitle)}</h1>
<section class="card"><p id="receipt">${esc(d.created ? m.doneCreated(d.ref) : m.doneAdded(d.ref))}</p>
<p><span class="label">${esc(compensationText(ctx.lang).reference)}</span> <strong class="ref" id="ref">${esc(d.ref)}</strong></p>
<p><a href="${esc(portalHref(ctx, '/compensation'))}">${esc(m.follow)} →</a></p></section>`;
  return layout(ctx, m.doneTitle, body, '/compensation/file/done');
}

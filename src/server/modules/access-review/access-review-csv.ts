/**
 * The access review as one CSV file (docs/access-review.md): the accounts' table, an empty line, the
 * tokens' table; headers in the reader's language, cells that look like formulas defused. The caller
 * adds the UTF-8 BOM (Excel then reads Chinese names right).
 */
import type { AccessReview } from '../../../shared/access-review-schemas.js';
import { csvText } from '../../platform/csv.js';

export type CsvLang = 'zh' | 'en';

const WORDS = {
  en: {
    accounts: [
      'Name',
      'Email',
      'Role',
      'Sign-in method',
      'MFA enrolled',
      'Last sign-in (UTC)',
      'Created (UTC)',
      'Dormant',
      'Disabled',
      'Active sessions',
    ],
    tokens: [
      'Token owner',
      'Owner email',
      'Token label',
      'Scopes',
      'Created (UTC)',
      'Last used (UTC)',
      'Expires (UTC)',
      'Status',
    ],
    yes: 'yes',
    no: 'no',
    status: { active: 'active', expired: 'expired', revoked: 'revoked' },
  },
  zh: {
    accounts: [
      '姓名',
      '邮箱',
      '角色',
      '登录方式',
      '已启用双因素认证',
      '最近登录（UTC）',
      '创建时间（UTC）',
      '长期未登录',
      '已停用',
      '有效会话数',
    ],
    tokens: [
      'API 令牌所有者',
      '所有者邮箱',
      'API 令牌名称',
      '权限范围',
      '创建时间（UTC）',
      '最近使用（UTC）',
      '到期时间（UTC）',
      '状态',
    ],
    yes: '是',
    no: '否',
    status: { active: '有效', expired: '已过期', revoked: '已撤销' },
  },
} as const;

export function accessReviewCsv(r: AccessReview, lang: CsvLang): string {
  const w = WORDS[lang];
  const yn = (b: boolean) => (b ? w.yes : w.no);
  const accounts = csvText(
    w.accounts,
    r.accounts.map((a) => [
      a.name,
      a.email,
      a.role,
      a.signInMethod,
      yn(a.mfaEnabled),
      a.lastSignInAt,
      a.createdAt,
      yn(a.dormant),
      yn(a.disabled),
      a.activeSessions,
    ]),
    { guardFormulas: true },
  );
  const tokens = csvText(
    w.tokens,
    r.tokens.map((t) => [
      t.ownerName,
      t.ownerEmail,
      t.label,
      t.scopes.join(' '),
      t.createdAt,
      t.lastUsedAt,
      t.expiresAt,
      w.status[t.status],
    ]),
    { guardFormulas: true },
  );
  return `${accounts}\r\n${tokens}`;
}

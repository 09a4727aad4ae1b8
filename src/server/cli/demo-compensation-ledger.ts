/**
 * The compensation demo's last step: the incident's ledger, printed, and checked against its claims —
 * each line must equal the sum over the claims of its statuses (docs/compensation-claims.md, "Ledger").
 * Pure: the caller reads the ledger and the claims through the API.
 */
import type { Claim, Ledger } from '../../shared/compensation-schemas.js';

type LedgerCurrency = Ledger['currencies'][number];
type LineName = Exclude<keyof LedgerCurrency, 'currency' | 'claims'>;
type Line = { count: number; amountMinor: number };

const OPEN = new Set(['proposed', 'under_assessment', 'offered', 'countered', 'accepted', 'approved', 'referred']);
const BY_STATUS: Record<string, LineName> = {
  proposed: 'proposed',
  under_assessment: 'proposed',
  offered: 'offered',
  countered: 'countered',
  accepted: 'accepted',
  approved: 'approved',
  paid: 'paid',
  declined: 'declined',
  referred: 'inMediation',
};

/** The lines in the order printed, with their labels. */
const LEDGER_LINES: [LineName, string][] = [
  ['reserve', '准备金 reserve'],
  ['proposed', '拟议 proposed'],
  ['offered', '已报价 offered'],
  ['countered', '还价中 countered'],
  ['accepted', '已接受 accepted'],
  ['approved', '已批准 approved'],
  ['paid', '已支付 paid'],
  ['declined', '已拒绝 declined'],
  ['inMediation', '调解中 in mediation'],
  ['declinedGoodwill', '拒绝时的善意补偿 goodwill on declines'],
];

/** Yuan with thousands separators and two places, from fen: 25886500 -> "258,865.00". */
export function yuan(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const whole = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}${whole}.${String(abs % 100).padStart(2, '0')}`;
}

/** What the ledger of `claims` must say, per currency: the sums over the claims by status. */
function expectedLedger(claims: Claim[]): Map<string, Record<LineName | 'claims', Line>> {
  const out = new Map<string, Record<LineName | 'claims', Line>>();
  for (const c of claims) {
    let cur = out.get(c.currency);
    if (!cur) {
      const zero = () => ({ count: 0, amountMinor: 0 });
      cur = { claims: zero(), reserve: zero(), declinedGoodwill: zero() } as Record<LineName | 'claims', Line>;
      for (const [name] of LEDGER_LINES) cur[name] ??= zero();
      out.set(c.currency, cur);
    }
    const add = (l: Line, amount: number) => {
      l.count++;
      l.amountMinor += amount;
    };
    // A counter-offer above the offer is what the firm may have to pay.
    const exposure =
      c.status === 'countered' && c.claimedMinor !== null ? Math.max(c.amountMinor, c.claimedMinor) : c.amountMinor;
    add(cur.claims, c.amountMinor);
    if (OPEN.has(c.status)) add(cur.reserve, exposure);
    add(cur[BY_STATUS[c.status]!], c.status === 'countered' ? exposure : c.amountMinor);
    if (c.status === 'declined' && c.goodwill && c.goodwill.amountMinor > 0)
      add(cur.declinedGoodwill, c.goodwill.amountMinor);
  }
  return out;
}

/** Where the ledger differs from the sums over the claims: one phrase per difference (none: it reconciles). */
export function ledgerDifferences(ledger: Ledger, claims: Claim[]): string[] {
  const want = expectedLedger(claims);
  const diffs: string[] = [];
  const seen = new Set<string>();
  for (const cur of ledger.currencies) {
    seen.add(cur.currency);
    const w = want.get(cur.currency);
    if (!w) {
      diffs.push(`${cur.currency}: the ledger has ${cur.claims} claims, the incident none`);
      continue;
    }
    if (cur.claims !== w.claims.count)
      diffs.push(`${cur.currency} claims: ledger ${cur.claims}, claims ${w.claims.count}`);
    for (const [name] of LEDGER_LINES) {
      const got = cur[name];
      const exp = w[name];
      if (got.count !== exp.count || got.amountMinor !== exp.amountMinor)
        diffs.push(
          `${cur.currency} ${name}: ledger ${got.count} / ${yuan(got.amountMinor)}, claims ${exp.count} / ${yuan(exp.amountMinor)}`,
        );
    }
  }
  for (const currency of want.keys())
    if (!seen.has(currency)) diffs.push(`${currency}: claims in this currency are missing from the ledger`);
  return diffs;
}

/** The ledger's lines for a terminal, one currency after another (empty lines left out). */
export function printLedger(log: (line: string) => void, ledger: Ledger): void {
  for (const cur of ledger.currencies) {
    log(`ledger / 赔付台账 (${cur.currency}, ${cur.claims} claims / 笔):`);
    for (const [name, label] of LEDGER_LINES) {
      const l = cur[name];
      if (l.count === 0 && name !== 'reserve') continue;
      // Chinese text is double width: the label goes last so the figures stay in line.
      log(`  ${String(l.count).padStart(4)}  ${yuan(l.amountMinor).padStart(14)}  ${label}`);
    }
  }
}

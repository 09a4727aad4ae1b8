/**
 * Issue 14's "Done when", end to end on one real server (SQLite, and PostgreSQL when the tests have one): the demo firm is loaded as `tocsin
 * demo` does, then `tocsin demo --scenario compensation` runs as six demo people through the API. With
 * no open market-data outage it declares one as `--scenario vendor-outage` does; the generated orders
 * and prices of the outage are uploaded and assessed with outage-price-diff (cap 200,000, min 10,
 * goodwill 50 yuan) — every figure below is worked out by hand from the method's rule
 * (docs/compensation.md): loss = (P1 − P0) × quantity for a buy, (P0 − P1) × quantity for a sell, never
 * below zero, P0 the limit price or the last trade before the outage, P1 the first trade from its end.
 * Then the run is reviewed by someone else, claims are proposed and offered, one is negotiated and
 * accepted by the customer on the portal (the reference, the code texted to the sandbox's notify
 * gateway), the others accepted by phone, all approved by tier (two people above 100,000 yuan), paid
 * in a batch (the bank file in GBK, marked paid, the payment texts queued), and the ledger reconciles.
 */
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo, settableClock } from '../../src/server/cli/demo.js';
import {
  COMPENSATION_PEOPLE,
  type CompensationPerson,
  type CompensationResult,
  runCompensation,
} from '../../src/server/cli/scenario-compensation.js';
import { sandboxFilingCodeReader, sandboxSmsReader } from '../../src/server/cli/portal-customer.js';
import { compose } from '../../src/server/compose.js';
import { type RunningSandbox, startSandbox } from '../../src/server/sandbox/index.js';
import { type Running, serve } from '../../src/server/serve.js';
import { STORE_KINDS, testConfig } from '../helpers/store.js';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

/** Yuan to fen, for figures written as yuan. */
const fen = (yuan: number) => Math.round(yuan * 100);

describe.each(STORE_KINDS)(
  'issue 14 done-when (%s): market-data outage -> assessment -> claims -> negotiation -> bulk approval -> ledger',
  (kind) => {
    let running: Running;
    let sandbox: RunningSandbox;
    let drop: () => Promise<void>;
    const tokens = {} as Record<CompensationPerson, string>;
    let api = '';
    let r: CompensationResult;
    const log: string[] = [];

    beforeAll(async () => {
      sandbox = await startSandbox();
      const port = await freePort();
      const t = testConfig(
        kind,
        {
          TOCSIN_PORT: String(port),
          TOCSIN_PUBLIC_URL: `http://127.0.0.1:${port}`,
          TOCSIN_NOTIFY_GATEWAY_URL: sandbox.urls.notify,
          TOCSIN_NOTIFY_GATEWAY_SECRET: sandbox.keys.notifySecret,
          TOCSIN_PROBE_ALLOW_LOOPBACK: 'true',
        },
        { migrated: true },
      );
      drop = t.drop;
      const clock = settableClock();
      const s = await compose(t.config, { clock });
      try {
        await s.users.ensureFirstAdmin(s.config.admin);
        await loadDemo(s, clock, 'Demo-Password-2026!', { plansDir: path.resolve('plans') });
        for (const [who, email] of Object.entries(COMPENSATION_PEOPLE) as [CompensationPerson, string][]) {
          const user = (await s.users.byEmail(email))!;
          const created = await s.tokens.create({ id: null, label: 'test' }, user.id, {
            name: 'done-when',
            scopes: ['read', 'write'],
          });
          tokens[who] = created.token;
        }
      } finally {
        await s.close();
      }
      running = await serve(t.config, () => {});
      api = running.url;
      r = await runCompensation({
        baseUrl: api,
        tokens,
        log: (l) => log.push(l),
        readSms: sandboxSmsReader(sandbox.urls.notify),
        readFilingCode: sandboxFilingCodeReader(sandbox.urls.notify),
      });
    }, 120_000);

    afterAll(async () => {
      if (running) {
        const closing = running.stop();
        running.app.server.closeAllConnections();
        await closing;
      }
      await drop?.();
      await sandbox?.stop();
    });

    it('declares the market-data outage and assesses the generated orders exactly', () => {
      expect(r.incidentKey).toMatch(/^INC-\d{4}-\d{4,}$/);
      expect(log.join('\n')).toContain('no open market-data outage: declaring one');
      // The outage window is the incident's: detected until contained on the backup feed.
      expect(Date.parse(r.outage.end)).toBeGreaterThan(Date.parse(r.outage.start));
      const by = Object.fromEntries(r.results.map((x) => [x.customerNo, x]));
      // P0/P1 per security: 600519.SH 1700.00/1746.00, 300750.SZ 201.30/196.80, 600036.SH 35.40/35.95,
      // 000001.SZ 11.20/11.05, 601318.SH 48.10/48.10.
      const want = {
        // market buy 5,000 × (1746.00 − 1700.00) = 230,000.00, capped at 200,000.00
        DH100010: { orders: 1, lossMinor: fen(230_000), compensationMinor: fen(200_000), basis: 'price_diff' },
        // limit buy 1,000 at 1701.50: (1746.00 − 1701.50) × 1,000 = 44,500.00 (its filled sell does not count)
        DH100011: { orders: 1, lossMinor: fen(44_500), compensationMinor: fen(44_500), basis: 'price_diff' },
        // market sell 2,000: (201.30 − 196.80) × 2,000 = 9,000.00; limit sell 10,000 at 11.18:
        // (11.18 − 11.05) × 10,000 = 1,300.00 (status written REJECTED); together 10,300.00
        DH100020: { orders: 2, lossMinor: fen(10_300), compensationMinor: fen(10_300), basis: 'price_diff' },
        // market buy 6,000: (35.95 − 35.40) × 6,000 = 3,300.00 (the negotiated claim)
        DH100005: { orders: 1, lossMinor: fen(3_300), compensationMinor: fen(3_300), basis: 'price_diff' },
        // limit buy 500 at 35.62: (35.95 − 35.62) × 500 = 165.00
        DH100033: { orders: 1, lossMinor: fen(165), compensationMinor: fen(165), basis: 'price_diff' },
        // market sell 3,000: (11.20 − 11.05) × 3,000 = 450.00; its buy rejected before the outage does not count
        DH100042: { orders: 1, lossMinor: fen(450), compensationMinor: fen(450), basis: 'price_diff' },
        // limit buy at 48.30 above P1 48.10: loss 0 -> goodwill 50.00
        DH200001: { orders: 1, lossMinor: 0, compensationMinor: fen(50), basis: 'goodwill' },
        // limit sell 20 at 11.30: (11.30 − 11.05) × 20 = 5.00, below the minimum of 10 -> goodwill 50.00
        DH200003: { orders: 1, lossMinor: fen(5), compensationMinor: fen(50), basis: 'goodwill' },
        // market buy while the price fell (196.80 < 201.30): loss 0 -> goodwill 50.00
        DH200010: { orders: 1, lossMinor: 0, compensationMinor: fen(50), basis: 'goodwill' },
      };
      // Not listed: DH200020 (filled during the outage), DH100070 (rejected after its end), the bad lines.
      expect(Object.keys(by).sort()).toEqual(Object.keys(want).sort());
      for (const [no, w] of Object.entries(want)) expect(by[no], no).toMatchObject(w);
      expect(r.run.reviewedBy?.name).toBe('周强 Zhou Qiang');
      expect(r.run.createdBy?.name).toBe('陈杰 Chen Jie');
      expect(r.run).toMatchObject({
        method: 'outage-price-diff',
        customers: 9,
        orders: 10,
        goodwillCustomers: 3,
        unknownCustomers: 0,
        // 230,000 + 44,500 + 10,300 + 3,300 + 165 + 450 + 0 + 5 + 0
        lossMinor: fen(288_720),
        // 200,000 + 44,500 + 10,300 + 3,300 + 165 + 450 + 3 × 50
        compensationMinor: fen(258_865),
        state: 'reviewed',
      });
      // The five bad lines after the 15 orders (header line 1), each with its reason.
      expect(r.skipped).toBe(5);
      expect(r.problems.map((p) => p.line)).toEqual([17, 18, 19, 20, 21]);
      expect(r.problems.every((p) => p.input === `orders-${r.incidentKey}.csv`)).toBe(true);
      const reasons = r.problems.map((p) => p.reason);
      expect(reasons[0]).toMatch(/side must be buy or sell, not "hold"/);
      expect(reasons[1]).toMatch(/time without offset/);
      expect(reasons[2]).toMatch(/unknown security 688999\.SH/);
      expect(reasons[3]).toMatch(/quantity must not be negative/);
      expect(reasons[4]).toMatch(/missing columns/);
      const printed = log.join('\n');
      expect(printed).toMatch(/DH100010\s+1\s+230,000\.00\s+200,000\.00\s+price_diff/);
      expect(printed).toContain('compensation / 赔偿 258,865.00 yuan');
      expect(printed).toContain(`orders-${r.incidentKey}.csv:17:`);
    });

    it('negotiates one claim and approves every claim by the people of its tier', async () => {
      const n = r.negotiated;
      expect(n.customer.customerNo).toBe('DH100005');
      expect(n).toMatchObject({ status: 'accepted', amountMinor: fen(3_800), claimedMinor: fen(4_200), version: 2 });
      expect(n.versions.map((v) => [v.version, v.amountMinor]).sort()).toEqual([
        [1, fen(3_300)],
        [2, fen(3_800)],
      ]);
      const steps = n.events.map((e) => [e.kind, e.speaker, e.channel, e.amountMinor]);
      expect(steps).toEqual(
        expect.arrayContaining([
          ['counter', 'customer', 'phone', fen(4_200)],
          ['offer', 'staff', 'phone', fen(3_800)],
          ['accept', 'customer', 'portal', fen(3_800)],
        ]),
      );
      // The counter-offer is recorded by the customer's owner: 黄静, their account manager.
      const counter = n.events.find((e) => e.kind === 'counter')!;
      expect(counter.recordedBy?.name).toBe('黄静 Huang Jing');

      // The code went to the customer's phone by SMS; the offer, the acceptance receipt too.
      const texts = sandbox.notify.messages.filter((m) => m.text.includes(n.ref)).map((m) => m.idempotencyKey);
      expect(texts.some((k) => k.startsWith('compensation-code:'))).toBe(true);

      // Every claim of the run approved, then paid: 9 claims, the negotiated one at 3,800.00, accepted on the
      // portal; and the one a customer filed on the portal, proposed, awaiting its assessment.
      expect(r.claims).toHaveLength(10);
      const filed = r.claims.filter((c) => c.source === 'portal');
      expect(filed).toHaveLength(1);
      expect(filed[0]).toMatchObject({ status: 'proposed', claimedMinor: fen(1_160) });
      expect(r.claims.filter((c) => c.source !== 'portal').every((c) => c.status === 'paid')).toBe(true);
      const files = (
        await (
          await fetch(`${api}/api/v1/compensation/claims/${filed[0]!.id}/attachments`, {
            headers: { authorization: `Bearer ${tokens.commander}` },
          })
        ).json()
      ).items as { fileName: string; mediaType: string }[];
      expect(files.map((f) => [f.fileName, f.mediaType])).toEqual([['委托回报.pdf', 'application/pdf']]);
      expect(log.join('\n')).toMatch(
        /files on the portal \/ 客户在门户提交申请: CMP-[0-9A-Z-]+, claims \/ 申请 1,160\.00 元, 1 file/,
      );
      expect(r.claims.filter((c) => c.acceptedChannel === 'portal').map((c) => c.customer.customerNo)).toEqual([
        'DH100005',
      ]);
      const amount = Object.fromEntries(r.claims.map((c) => [c.customer.customerNo, c.amountMinor]));
      expect(amount.DH100005).toBe(fen(3_800));
      // Tiers (default policy): lead ≤ 5,000 (6 claims), compliance ≤ 100,000 (2), two people above (1).
      // 陈杰 approves the lead tier and leaves 3 above his cap; 周强 approves the compliance tier and is
      // the first of two on 200,000.00; 钱芳 is the second.
      expect(r.approvals).toEqual([
        { who: '陈杰 Chen Jie', approved: 6, recorded: 0, refused: 3 },
        { who: '周强 Zhou Qiang', approved: 2, recorded: 1, refused: 0 },
        { who: '钱芳 Qian Fang', approved: 1, recorded: 0, refused: 0 },
      ]);
      const big = r.claims.find((c) => c.customer.customerNo === 'DH100010')!;
      expect(big.approval).toEqual({ tier: 'second_approver', needed: 2, given: 2 });
    });

    it('pays the approved claims in one batch: the bank file in GBK, then marked paid', () => {
      expect(r.batch).toMatchObject({
        id: `PAY-${r.incidentKey}-1`,
        state: 'paid',
        items: 9,
        paid: { count: 9, amountMinor: fen(259_365) },
        pending: { count: 0 },
        bankReference: `BOC-${r.incidentKey.replace(/^INC-/, '')}-0001`,
      });
      expect(log.join('\n')).toMatch(/bank file \/ 银行批量文件: GBK, \d+ bytes, 9 payees/);
    });

    it('prints the ledger, which reconciles with the claims', async () => {
      // 258,865.00 − 3,300.00 + 3,800.00 = 259,365.00, all approved and paid; in reserve only the claim
      // filed on the portal, at the 1,160.00 the customer asks until it is assessed.
      const [cny] = r.ledger.currencies;
      expect(cny).toMatchObject({
        currency: 'CNY',
        claims: 10,
        reserve: { count: 1, amountMinor: fen(1_160) },
        approved: { count: 0, amountMinor: 0 },
        accepted: { count: 0, amountMinor: 0 },
        paid: { count: 9, amountMinor: fen(259_365) },
      });
      const printed = log.join('\n');
      expect(printed).toMatch(/ {3}9 +259,365\.00 {2}已支付 paid/);
      expect(printed).toContain('reconciles with the 10 claims');
      expect(printed).toContain(`/incidents/${r.incidentKey}/compensation`);
      // Once per incident: a second run refuses, with one line.
      await expect(
        runCompensation({ baseUrl: api, tokens, log: () => {}, incidentKey: r.incidentKey }),
      ).rejects.toThrow(/already ran for INC-.*replay vendor-outage/);
    });
  },
);

/**
 * The customers' side of the demo history (demo-history.ts): the questions customers asked the call centre
 * about the customer-facing incidents, answered by customer service and rated in the help portal's
 * survey (CSAT) — better rated as the year goes on. Phone-only contacts: an answer mails nobody.
 */
import type { Services } from '../compose.js';
import { DAY, type HistoryCast, HOUR, MIN, type PastIncident, type Prng } from './demo-history-kit.js';
import type { HistoryCounts } from './demo-history-kit.js';

const QUESTIONS = [
  '我的委托是否成功？ Did my order go through?',
  '账户资金是否安全？ Is the money in my account safe?',
  '什么时候能恢复？ When will it work again?',
  '造成的损失如何处理？ What about the loss this caused me?',
  '收到的短信是你们发的吗？ Was the text I got from you?',
];

export async function loadHistoryCustomers(
  s: Services,
  at: (ms: number) => void,
  cast: HistoryCast,
  r: Prng,
  past: PastIncident[],
  now: number,
): Promise<Partial<HistoryCounts>> {
  let inquiries = 0;
  let ratings = 0;
  let n = 0;
  for (const p of past) {
    if (!p.kind.customerFacing || p.falsePositive || p.recoveredAt === null) continue;
    const progress = (p.detectedAt - (now - 365 * DAY)) / (365 * DAY);
    const asked = r.int(1, 4);
    for (let i = 0; i < asked; i++) {
      n++;
      const t = p.detectedAt + r.between(20, 240) * MIN;
      if (t > now - DAY) continue;
      at(t);
      const phone = `139${String(10_000_000 + n * 7919).slice(-8)}`;
      const q = await s.inquiries.inbox.create(cast.customerService, {
        channel: 'call_centre',
        incidentKey: p.key,
        name: `客户${n}`,
        phone,
        question: r.pick(QUESTIONS),
        language: 'zh-CN',
      });
      inquiries++;
      at(t + r.between(10, 180) * (1 - 0.5 * progress) * MIN);
      await s.inquiries.inbox.answer(cast.customerService, q.id, {
        text: '您好，故障已处理，您的资金安全，委托以成交回报为准。如有损失可申请补偿。',
      });
      // Two in three answer the survey; ratings climb from about 3.4 to about 4.5 over the year.
      if (!r.chance(0.66)) continue;
      at(t + r.between(4, 30) * HOUR);
      const check = await s.inquiries.portal.check(`198.51.100.${n % 250}`, q.reference, phone);
      if (!check?.surveyToken) continue;
      const rating = Math.max(1, Math.min(5, Math.round(3.3 + 1.2 * progress + r.between(-1.2, 1.2))));
      if (await s.inquiries.portal.feedback(q.reference, check.surveyToken, rating, null)) ratings++;
    }
  }
  return { inquiries, ratings };
}

/**
 * The regulatory part of the credential-stuffing scenario (issue 13): a firm profile (a PRC securities
 * firm, no CII designation), the customer data exposure compliance records, and the incident graded
 * III (较大): the CAC, CSRC and PIPL clocks start at once and are printed as the war room shows them.
 */
import { call, type ScenarioContext } from './scenario-api.js';

interface ClockView {
  obligation: string;
  stage: string;
  due: string | null;
  status: string;
  recipient: { 'zh-CN': string; en: string };
}

export async function regulatoryClocks(ctx: ScenarioContext, key: string, accountsTaken: number): Promise<void> {
  const enc = encodeURIComponent(key);
  const firm = await call<{ version: number }>(ctx, 'GET', '/api/v1/firm-profile');
  if (firm.version === 0)
    await call(ctx, 'PUT', '/api/v1/firm-profile', {
      jurisdictions: ['CN'],
      ciiOperator: false,
      usBrokerDealer: false,
      listedUs: false,
      doraEntity: false,
      clientsTotal: 1_200_000,
      csrcTargetMinutes: 30,
    });
  await call(ctx, 'PATCH', `/api/v1/incidents/${enc}/obligations/facts`, {
    personalInfoRecords: accountsTaken,
    sensitiveCustomerInfo: true,
  });
  await call(ctx, 'PATCH', `/api/v1/incidents/${enc}`, { grade: 'III' });
  const o = await call<{ clocks: ClockView[] }>(ctx, 'GET', `/api/v1/incidents/${enc}/obligations`);
  ctx.log(`graded III (较大): regulatory clocks / 监管时限 of ${key}`);
  for (const c of o.clocks.filter((x) => x.status !== 'stopped'))
    ctx.log(`  ${c.obligation} (${c.stage}) due ${c.due ?? 'not known yet'} -> ${c.recipient.en}`);
}

/** An incident's compensation at /incidents/:key/compensation: assessments, claims, approvals, payouts, ledger (issue 14). */
import { Stack, Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { NotPermitted } from '../../ui/misc.js';
import { IncidentSubpageHeader } from '../war-room/incident-subpage-header.js';
import { ApprovalsTab } from './approvals-tab.js';
import { AssessmentsTab } from './assessments-tab.js';
import { ClaimsTab } from './claims-tab.js';
import { LedgerTab } from './ledger-tab.js';
import { PayoutsTab } from './payouts-tab.js';
import { PortalFilingCard } from './portal-filing-card.js';

const TABS = ['assessments', 'claims', 'approvals', 'payouts', 'ledger'] as const;
type Tab = (typeof TABS)[number];

export function CompensationPage() {
  const { key = '' } = useParams();
  const { t } = useTranslation();
  const canRead = useCan('compensation.read');
  const canApprove = useCan('compensation.approve');
  const [params, setParams] = useSearchParams();
  const asked = params.get('tab');
  const tab: Tab = TABS.includes(asked as Tab) ? (asked as Tab) : 'assessments';
  usePageTitle(`${key} · ${t('comp.title')}`);
  if (!canRead) return <NotPermitted />;
  return (
    <Stack gap="md" data-testid="compensation-page" data-key={key}>
      <IncidentSubpageHeader
        incidentKey={key}
        title={t('comp.title')}
        back={t('comp.back', { key })}
        backTestId="comp-back"
      />
      <PortalFilingCard incidentKey={key} />
      <Tabs
        value={tab}
        onChange={(v) => setParams(v && v !== 'assessments' ? { tab: v } : {}, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List>
          {TABS.filter((x) => x !== 'approvals' || canApprove).map((x) => (
            <Tabs.Tab key={x} value={x} data-testid={`comp-tab-${x}`}>
              {x === 'payouts' ? t('payouts.tab') : t(`comp.tab.${x}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="assessments" pt="md">
          <AssessmentsTab incidentKey={key} />
        </Tabs.Panel>
        <Tabs.Panel value="claims" pt="md">
          <ClaimsTab incidentKey={key} />
        </Tabs.Panel>
        {canApprove && (
          <Tabs.Panel value="approvals" pt="md">
            <ApprovalsTab incidentKey={key} />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="payouts" pt="md">
          <PayoutsTab incidentKey={key} />
        </Tabs.Panel>
        <Tabs.Panel value="ledger" pt="md">
          <LedgerTab incidentKey={key} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

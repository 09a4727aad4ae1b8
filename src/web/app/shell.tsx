/** The signed-in layout: header (product, live state, language, user menu) and navigation; burger on phones. */
import {
  AppShell,
  Avatar,
  Badge,
  Box,
  Burger,
  Group,
  Menu,
  NavLink,
  ScrollArea,
  Stack,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { MfaNudge } from '../features/security/mfa-nudge.js';
import { LanguageSwitch } from '../ui/language-switch.js';
import { BRAND } from './page-title.js';
import { useCan, useLogout, useSession } from './session.js';
import { useLiveUpdates, useStreamState } from './sse.js';

function LiveIndicator() {
  const { t } = useTranslation();
  const state = useStreamState();
  return (
    <Badge
      variant="dot"
      color={state === 'open' ? 'teal' : 'gray'}
      data-testid="live-status"
      data-state={state}
      title={t(`shell.live.${state}`)}
      aria-label={t(`shell.live.${state}`)}
      px={{ base: 6, sm: 'sm' }}
      styles={{ label: { display: 'contents' } }}
    >
      <Box component="span" visibleFrom="sm">
        {t(`shell.live.${state}`)}
      </Box>
    </Badge>
  );
}

function UserMenu() {
  const { t } = useTranslation();
  const { user } = useSession();
  const logout = useLogout();
  const navigate = useNavigate();
  const initials = user.name.trim().slice(0, 1).toUpperCase() || '?';
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <UnstyledButton data-testid="user-menu" aria-label={t('shell.userMenu')}>
          <Group gap={6} wrap="nowrap">
            <Avatar size="sm" color="red" radius="xl">
              {initials}
            </Avatar>
            <Text size="sm" visibleFrom="sm" maw={160} truncate>
              {user.name}
            </Text>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          {user.email} · {t(`role.${user.role}`)}
        </Menu.Label>
        <Menu.Item component={Link} to="/security">
          {t('nav.security')}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item
          color="red"
          data-testid="logout"
          onClick={() => {
            navigate('/');
            logout.mutate();
          }}
        >
          {t('shell.logout')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

interface NavItem {
  to: string;
  label: string;
  testId: string;
  show: boolean;
}
interface NavGroup {
  id: 'respond' | 'communicate' | 'investigate' | 'improve' | 'detect' | 'admin';
  items: NavItem[];
}

export function Shell() {
  const { t } = useTranslation();
  const [opened, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  const canManageUsers = useCan('user.manage');
  const canReadAudit = useCan('audit.read');
  const canReadAccessReview = useCan('access_review.read');
  const canReadAlerts = useCan('alert.read');
  const canManageAlerts = useCan('alert.manage');
  const canReadServices = useCan('service.read');
  const canReadRules = useCan('rule.read');
  const canReadSettings = useCan('settings.read');
  const canManageFirm = useCan('firm.manage');
  const canReadJobs = useCan('job.read');
  const canReadPlans = useCan('plan.read');
  const canReadConnectors = useCan('connector.read');
  const canReadOncall = useCan('oncall.read');
  const canReadStatements = useCan('statement.read');
  const canReadStatus = useCan('status.read');
  const canReadMedia = useCan('media.read');
  const canReadInquiries = useCan('inquiry.read');
  const canReadCustomers = useCan('customer.read');
  const canWorkOwners = useCan('owner.work');
  const canReadInvestigation = useCan('investigation.read');
  const canReadReviews = useCan('review.read');
  const canReadActionItems = useCan('action_item.read');
  const canReadVulns = useCan('vulnerability.read');
  const canReadRisks = useCan('risk.read');
  const canReadTraining = useCan('training.read');
  const canReadMgmtReports = useCan('management_report.read');
  const canReadDrills = useCan('drill.read');
  const canReadKpi = useCan('kpi.read');
  useLiveUpdates();

  // Grouped by what a person comes to do: respond, talk to people, investigate, improve, run the
  // detection, administer. A group shows when the reader may open something in it.
  const nav: NavGroup[] = [
    {
      id: 'respond',
      items: [
        { to: '/incidents', label: t('nav.incidents'), testId: 'nav-incidents', show: true },
        { to: '/alerts', label: t('nav.alerts'), testId: 'nav-alerts', show: canReadAlerts },
        { to: '/worklist', label: t('owners.nav'), testId: 'nav-worklist', show: canWorkOwners },
        { to: '/oncall', label: t('oncall.nav'), testId: 'nav-oncall', show: canReadOncall },
        { to: '/plans', label: t('plans.nav'), testId: 'nav-plans', show: canReadPlans },
      ],
    },
    {
      id: 'communicate',
      items: [
        { to: '/statements', label: t('statements.nav'), testId: 'nav-statements', show: canReadStatements },
        { to: '/status-site', label: t('statusSite.nav'), testId: 'nav-status-site', show: canReadStatus },
        { to: '/media', label: t('mediaDesk.nav'), testId: 'nav-media', show: canReadMedia },
        { to: '/inquiries', label: t('customerInquiries.nav'), testId: 'nav-inquiries', show: canReadInquiries },
        { to: '/customers', label: t('customers.nav'), testId: 'nav-customers', show: canReadCustomers },
      ],
    },
    {
      id: 'investigate',
      items: [
        {
          to: '/investigation-requests',
          label: t('investigation.requests.nav'),
          testId: 'nav-requests',
          show: canReadInvestigation,
        },
      ],
    },
    {
      id: 'improve',
      items: [
        { to: '/reviews', label: t('reviews.nav'), testId: 'nav-reviews', show: canReadReviews },
        { to: '/action-items', label: t('actionItems.nav'), testId: 'nav-action-items', show: canReadActionItems },
        { to: '/vulnerabilities', label: t('vulns.nav'), testId: 'nav-vulnerabilities', show: canReadVulns },
        { to: '/risks', label: t('risk.nav'), testId: 'nav-risks', show: canReadRisks },
        { to: '/training', label: t('training.nav'), testId: 'nav-training', show: canReadTraining },
        { to: '/drills', label: t('drills.nav'), testId: 'nav-drills', show: canReadDrills },
        { to: '/dashboards', label: t('kpi.nav'), testId: 'nav-dashboards', show: canReadKpi },
        {
          to: '/management-reports',
          label: t('mgmtReports.nav'),
          testId: 'nav-management-reports',
          show: canReadMgmtReports,
        },
      ],
    },
    {
      id: 'detect',
      items: [
        { to: '/services', label: t('probes.nav'), testId: 'nav-services', show: canReadServices },
        { to: '/rules', label: t('rules.nav'), testId: 'nav-rules', show: canReadRules },
        { to: '/suppressions', label: t('nav.suppressions'), testId: 'nav-suppressions', show: canManageAlerts },
        { to: '/connectors', label: t('connectors.nav'), testId: 'nav-connectors', show: canReadConnectors },
        { to: '/jobs', label: t('jobs.nav'), testId: 'nav-jobs', show: canReadJobs },
      ],
    },
    {
      id: 'admin',
      items: [
        { to: '/users', label: t('nav.users'), testId: 'nav-users', show: canManageUsers },
        { to: '/audit', label: t('nav.audit'), testId: 'nav-audit', show: canReadAudit },
        {
          to: '/access-review',
          label: t('accessReview.nav'),
          testId: 'nav-access-review',
          show: canReadAccessReview,
        },
        { to: '/settings', label: t('settings.nav'), testId: 'nav-settings', show: canReadSettings || canManageFirm },
        { to: '/security', label: t('nav.security'), testId: 'nav-security', show: true },
      ],
    },
  ];
  const isActive = (to: string) =>
    location.pathname === to ||
    location.pathname.startsWith(`${to}/`) ||
    (to === '/incidents' && location.pathname === '/');

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'xs', sm: 'md' }}
    >
      <AppShell.Header data-testid="app-header">
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('shell.toggleNav')} />
            <Title order={3} size="h4" c="red.8" style={{ whiteSpace: 'nowrap' }} data-testid="product-name">
              {BRAND}
            </Title>
          </Group>
          <Group gap="sm" wrap="nowrap">
            <LiveIndicator />
            <LanguageSwitch />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" data-testid="app-nav">
        <ScrollArea>
          {nav.map((g) => {
            const items = g.items.filter((n) => n.show);
            if (!items.length) return null;
            return (
              <Stack key={g.id} gap={0} mb="xs" data-testid={`nav-group-${g.id}`}>
                <Text size="xs" c="dimmed" fw={600} px="sm" pt={4} pb={2}>
                  {t(`navGroups.${g.id}`)}
                </Text>
                {items.map((n) => (
                  <NavLink
                    key={n.to}
                    component={Link}
                    to={n.to}
                    label={n.label}
                    active={isActive(n.to)}
                    onClick={close}
                    py={6}
                    data-testid={n.testId}
                  />
                ))}
              </Stack>
            );
          })}
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <MfaNudge />
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}

/** A banner asking users without two-step verification to turn it on; "Not now" hides it for a week on this browser. */
import { useState } from 'react';
import { Alert, Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useSession } from '../../app/session.js';

const WEEK_MS = 7 * 24 * 3600_000;
const storageKey = (userId: string) => `tocsin.mfaNudge.${userId}`;

function dismissedRecently(userId: string): boolean {
  try {
    const at = Number(localStorage.getItem(storageKey(userId)) ?? 0);
    return Date.now() - at < WEEK_MS;
  } catch {
    return false;
  }
}

export function MfaNudge() {
  const { t } = useTranslation();
  const { user } = useSession();
  const location = useLocation();
  const [hidden, setHidden] = useState(() => dismissedRecently(user.id));
  if (user.mfaEnabled || hidden || location.pathname === '/security') return null;
  const dismiss = () => {
    try {
      localStorage.setItem(storageKey(user.id), String(Date.now()));
    } catch {
      // private mode: hidden for this page view only
    }
    setHidden(true);
  };
  return (
    <Alert color="yellow" variant="light" mb="md" title={t('mfaNudge.title')} data-testid="mfa-nudge">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text size="sm">{t('mfaNudge.body')}</Text>
        <Group gap="xs">
          <Button component={Link} to="/security" size="compact-sm" data-testid="mfa-nudge-setup">
            {t('mfaNudge.action')}
          </Button>
          <Button size="compact-sm" variant="subtle" color="gray" onClick={dismiss} data-testid="mfa-nudge-dismiss">
            {t('mfaNudge.dismiss')}
          </Button>
        </Group>
      </Group>
    </Alert>
  );
}

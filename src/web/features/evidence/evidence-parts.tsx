/** Small pieces of the evidence console: a hash with a copy button, the item's badges. */
import { ActionIcon, Badge, CopyButton, Group, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { EvidenceItem } from './evidence-api.js';

/** A hash shown short (or whole), with a button that copies all of it. */
export function HashText({ value, short = true, testId }: { value: string; short?: boolean; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Group gap={4} wrap="nowrap">
      <Text size="xs" ff="monospace" title={value} className="tocsin-break" data-testid={testId} data-full={value}>
        {short ? `${value.slice(0, 12)}…` : value}
      </Text>
      <CopyButton value={value}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? t('common.copied') : t('common.copy')} withArrow>
            <ActionIcon
              size="xs"
              variant="subtle"
              color={copied ? 'teal' : 'gray'}
              onClick={copy}
              aria-label={t('evidence.copyHash')}
              data-testid={testId ? `${testId}-copy` : undefined}
            >
              <CopyIcon done={copied} />
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

/** Two overlapping sheets (a tick once copied), drawn: no icon font is loaded. */
function CopyIcon({ done }: { done: boolean }) {
  return (
    <svg
      width="12"
      height="12"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      aria-hidden="true"
    >
      {done ? (
        <path d="M5 12l5 5L20 7" />
      ) : (
        <>
          <rect x="9" y="9" width="12" height="12" rx="2" />
          <path d="M5 15H4a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1h10a1 1 0 0 1 1 1v1" />
        </>
      )}
    </svg>
  );
}

export function ItemBadges({ item }: { item: EvidenceItem }) {
  const { t } = useTranslation();
  return (
    <Group gap={4}>
      {item.legalHold && (
        <Badge size="sm" color="orange" data-testid="evidence-hold-badge">
          {t('evidence.legalHold')}
        </Badge>
      )}
      {item.hashMismatch && (
        <Badge size="sm" color="red" variant="filled" data-testid="evidence-mismatch">
          {t('evidence.hashMismatch')}
        </Badge>
      )}
    </Group>
  );
}

export function formatSize(bytes: number, locale: string): string {
  const n = (v: number) => v.toLocaleString(locale, { maximumFractionDigits: 1 });
  if (bytes < 1024) return `${n(bytes)} B`;
  if (bytes < 1024 ** 2) return `${n(bytes / 1024)} KiB`;
  if (bytes < 1024 ** 3) return `${n(bytes / 1024 ** 2)} MiB`;
  return `${n(bytes / 1024 ** 3)} GiB`;
}

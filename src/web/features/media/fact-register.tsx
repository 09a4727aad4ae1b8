/**
 * A rumor-vs-fact register (an incident's, or the site-wide one): claim, source, verdict, rebuttal,
 * evidence link, whether the rebuttal is published; media.manage adds and edits entries (each change a
 * version) and everyone reading sees every version.
 */
import { useState } from 'react';
import { Anchor, Badge, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../../app/session.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { FactForm } from './fact-form.js';
import { type FactEntry, useFacts, useFactVersions } from './media-api.js';
import { VerdictBadge } from './media-parts.js';
import { RichText } from './rich-text.js';
import { pickZhEn } from '../../ui/localized.js';

function VersionsModal({ entry, onClose }: { entry: FactEntry; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const versions = useFactVersions(entry.id, true);
  return (
    <Modal opened onClose={onClose} size="lg" title={t('rumors.history')}>
      <QueryView query={versions} compact>
        {(items) => (
          <Stack gap="sm" data-testid="fact-versions">
            {items.map((v) => (
              <Stack gap={2} key={v.version} data-testid="fact-version" data-version={v.version}>
                <Group gap="xs">
                  <Badge size="sm" variant="outline">
                    v{v.version}
                  </Badge>
                  <Text size="xs" fw={600}>
                    {t(`rumors.changes.${v.change}`)}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {v.by?.name ?? t('common.unknown')} · {formatDateTime(v.at, i18n.language)}
                  </Text>
                </Group>
                <Group gap="xs" wrap="nowrap" align="flex-start">
                  <VerdictBadge verdict={v.entry.verdict} />
                  <Text size="sm" className="tocsin-break">
                    {pickZhEn(v.entry.claim, i18n.language)}
                  </Text>
                </Group>
                {(v.entry.rebuttal.zh || v.entry.rebuttal.en) && (
                  <Text size="xs" c="dimmed" className="tocsin-break" style={{ whiteSpace: 'pre-wrap' }}>
                    {pickZhEn(v.entry.rebuttal, i18n.language)}
                  </Text>
                )}
              </Stack>
            ))}
          </Stack>
        )}
      </QueryView>
    </Modal>
  );
}

function FactItem({
  f,
  canManage,
  onEdit,
  showIncident,
}: {
  f: FactEntry;
  canManage: boolean;
  onEdit: () => void;
  showIncident: boolean;
}) {
  const { t, i18n } = useTranslation();
  const [history, setHistory] = useState(false);
  const rebuttal = pickZhEn(f.rebuttal, i18n.language);
  return (
    <Stack gap={4} data-testid="fact" data-id={f.id} data-verdict={f.verdict} data-published={f.published}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <Group gap={6} style={{ minWidth: 0 }} align="flex-start" wrap="nowrap">
          <VerdictBadge verdict={f.verdict} />
          <Text size="sm" fw={600} className="tocsin-break" data-testid="fact-claim">
            {pickZhEn(f.claim, i18n.language)}
          </Text>
        </Group>
        <Badge
          size="sm"
          variant={f.published ? 'filled' : 'outline'}
          color={f.published ? 'indigo' : 'gray'}
          style={{ flexShrink: 0 }}
        >
          {f.published ? t('rumors.published') : t('rumors.notPublished')}
        </Badge>
      </Group>
      {rebuttal && <RichText html={pickZhEn(f.rebuttalHtml, i18n.language)} testId="fact-rebuttal" />}
      <Text size="xs" c="dimmed" className="tocsin-break">
        {showIncident && (
          <>
            {f.incidentKey ? (
              <Anchor
                component={Link}
                to={`/incidents/${encodeURIComponent(f.incidentKey)}`}
                size="xs"
                data-testid="fact-incident"
              >
                {f.incidentKey}
              </Anchor>
            ) : (
              t('rumors.siteWide')
            )}
            {' · '}
          </>
        )}
        {f.source && `${t('rumors.sourceShort', { source: f.source })} · `}
        {f.evidenceUrl && (
          <>
            <Anchor href={f.evidenceUrl} target="_blank" rel="noopener noreferrer" size="xs">
              {t('rumors.evidenceLink')}
            </Anchor>
            {' · '}
          </>
        )}
        {t('rumors.versionBy', {
          v: f.version,
          name: f.updatedBy?.name ?? t('common.unknown'),
          at: formatDateTime(f.updatedAt, i18n.language),
        })}
      </Text>
      <Group gap={4}>
        {canManage && (
          <Button size="compact-xs" variant="subtle" onClick={onEdit} data-testid="fact-edit">
            {t('rumors.editShort')}
          </Button>
        )}
        <Button
          size="compact-xs"
          variant="subtle"
          color="gray"
          onClick={() => setHistory(true)}
          data-testid="fact-history"
        >
          {t('rumors.historyShort', { n: f.version })}
        </Button>
      </Group>
      {history && <VersionsModal entry={f} onClose={() => setHistory(false)} />}
    </Stack>
  );
}

/**
 * The register's entries with add/edit; `incidentKey` null: the site-wide register, or with `all` every
 * entry the reader may see (each naming its incident; entries are added on an incident or site-wide).
 */
export function FactRegister({ incidentKey, all = false }: { incidentKey: string | null; all?: boolean }) {
  const { t } = useTranslation();
  const canManage = useCan('media.manage');
  const facts = useFacts(incidentKey, all);
  const [editing, setEditing] = useState<FactEntry | 'new' | null>(null);
  return (
    <Stack gap="sm">
      {canManage && !all && (
        <Group>
          <Button size="xs" variant="light" onClick={() => setEditing('new')} data-testid="fact-add">
            {t('rumors.add')}
          </Button>
        </Group>
      )}
      <QueryView query={facts} compact keepOnError>
        {(items) =>
          items.length === 0 ? (
            <EmptyState compact testId="facts-empty">
              {t('rumors.empty')}
            </EmptyState>
          ) : (
            <Stack gap="md">
              {items.map((f) => (
                <FactItem key={f.id} f={f} canManage={canManage} onEdit={() => setEditing(f)} showIncident={all} />
              ))}
            </Stack>
          )
        }
      </QueryView>
      {editing && (
        <FactForm
          incidentKey={editing === 'new' ? incidentKey : editing.incidentKey}
          entry={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      )}
    </Stack>
  );
}

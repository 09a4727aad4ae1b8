/** Edit an incident's facts as they become known (grade, impact, services...); the server logs the change. */
import { useState } from 'react';
import { Button, Group, Modal } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../app/session.js';
import type { Incident, IncidentUpdate } from '../../app/types.js';
import { incidentTitle } from '../../ui/localized.js';
import { IncidentForm, type IncidentFormValues } from '../incidents/incident-form.js';
import { useSummaryText } from './summary-text.js';
import { useUpdateIncident } from './war-room-api.js';

/**
 * Only the fields the person changed: the API has no version check on PATCH, so sending everything would
 * silently undo a colleague's concurrent edit of another field. `incident` carries the title and summary
 * as shown (detection's in the viewer's language): sent back unchanged, they would replace both languages.
 */
function changedFields(incident: Incident, v: IncidentFormValues): IncidentUpdate {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const out: IncidentUpdate = {};
  if (v.title !== incident.title) out.title = v.title;
  if (v.summary !== incident.summary) out.summary = v.summary;
  if (v.category !== incident.category) out.category = v.category;
  if (v.grade !== incident.grade) out.grade = v.grade;
  if (v.restricted !== incident.restricted) out.restricted = v.restricted;
  if (!same(v.tags, incident.tags)) out.tags = v.tags;
  if (
    !same(
      v.services,
      incident.services.map((s) => s.key),
    )
  )
    out.services = v.services;
  const impact: NonNullable<IncidentUpdate['impact']> = {};
  const before = incident.impact;
  if (v.impact.customersAffected !== before.customersAffected) impact.customersAffected = v.impact.customersAffected;
  if (v.impact.recordsExposed !== before.recordsExposed) impact.recordsExposed = v.impact.recordsExposed;
  if (v.impact.tradingInterrupted !== before.tradingInterrupted)
    impact.tradingInterrupted = v.impact.tradingInterrupted;
  if (!same(v.impact.fundsAtRisk, before.fundsAtRisk)) impact.fundsAtRisk = v.impact.fundsAtRisk;
  if (Object.keys(impact).length > 0) out.impact = impact;
  return out;
}

function EditIncidentForm({ incident: stored, onClose }: { incident: Incident; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const update = useUpdateIncident(stored.key);
  const me = useSession().user;
  const summaryText = useSummaryText();
  // The form starts from what the person reads; only what they change is sent.
  const [incident] = useState(() => ({
    ...stored,
    title: incidentTitle(stored, i18n.language),
    summary: summaryText(stored),
  }));
  return (
    <IncidentForm
      initial={incident}
      restrictedLocked={me.role !== 'admin' && incident.commander?.id !== me.id}
      testIds="edit"
      error={update.error}
      onSubmit={(values) => {
        const changes = changedFields(incident, values);
        if (Object.keys(changes).length === 0) onClose();
        else update.mutate(changes, { onSuccess: onClose });
      }}
      actions={
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={update.isPending} data-testid="edit-submit">
            {t('common.save')}
          </Button>
        </Group>
      }
    />
  );
}

export function EditIncidentButton({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  const phone = useMediaQuery('(max-width: 48em)');
  return (
    <>
      <Button size="xs" variant="default" onClick={open} data-testid="edit-open">
        {t('warRoom.edit')}
      </Button>
      <Modal
        opened={opened}
        onClose={close}
        title={t('warRoom.editTitle', { key: incident.key })}
        size="lg"
        fullScreen={phone}
      >
        <EditIncidentForm incident={incident} onClose={close} />
      </Modal>
    </>
  );
}

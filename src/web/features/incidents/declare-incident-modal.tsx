/** Declare an incident: the facts known now; opens the new incident's war room on success. */
import { Button, Group, Modal } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { IncidentForm } from './incident-form.js';
import { useDeclareIncident } from './incidents-api.js';

function DeclareIncidentForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const declare = useDeclareIncident();
  return (
    <IncidentForm
      testIds="declare"
      error={declare.error}
      onSubmit={(values) =>
        declare.mutate(values, {
          onSuccess: (incident) => {
            onClose();
            navigate(`/incidents/${encodeURIComponent(incident.key)}`);
          },
        })
      }
      actions={
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={declare.isPending} data-testid="declare-submit">
            {t('declare.submit')}
          </Button>
        </Group>
      }
    />
  );
}

export function DeclareIncidentModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)');
  // The form lives inside the modal so it starts empty every time the modal opens.
  return (
    <Modal opened={opened} onClose={onClose} title={t('declare.title')} size="lg" fullScreen={phone}>
      <DeclareIncidentForm onClose={onClose} />
    </Modal>
  );
}

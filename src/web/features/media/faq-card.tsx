/** The war room's FAQ entries (shown on the announcement page when published, reused by customer service). */
import { useState } from 'react';
import {
  Badge,
  Button,
  Card,
  Group,
  Modal,
  NumberInput,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../app/session.js';
import { fieldError, ProblemAlert } from '../../ui/problem-alert.js';
import { EmptyState, QueryView } from '../../ui/query-view.js';
import { type FaqItem, useFaq, useSaveFaq } from './media-api.js';
import { RichText } from './rich-text.js';
import { pickZhEn } from '../../ui/localized.js';

function FaqModal({ incidentKey, item, onClose }: { incidentKey: string; item: FaqItem | null; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSaveFaq(incidentKey);
  const [qZh, setQZh] = useState(item?.question.zh ?? '');
  const [qEn, setQEn] = useState(item?.question.en ?? '');
  const [aZh, setAZh] = useState(item?.answer.zh ?? '');
  const [aEn, setAEn] = useState(item?.answer.en ?? '');
  const [position, setPosition] = useState<number>(item?.position ?? 0);
  const [published, setPublished] = useState(item?.published ?? false);
  const submit = () => {
    const body = {
      question: { zh: qZh.trim(), en: qEn.trim() },
      answer: { zh: aZh, en: aEn },
      position,
      published,
    };
    save.mutate(item ? { id: item.id, body } : { id: null, body }, { onSuccess: onClose });
  };
  return (
    <Modal opened onClose={onClose} size="lg" title={item ? t('faqs.edit') : t('faqs.add')}>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('faqs.questionZh')}
            value={qZh}
            onChange={(e) => setQZh(e.currentTarget.value)}
            error={fieldError(save.error, 'question.zh')}
            data-testid="faq-question-zh"
          />
          <TextInput
            label={t('faqs.questionEn')}
            value={qEn}
            onChange={(e) => setQEn(e.currentTarget.value)}
            data-testid="faq-question-en"
          />
          <Textarea
            label={t('faqs.answerZh')}
            description={t('rumors.markdown')}
            autosize
            minRows={3}
            value={aZh}
            onChange={(e) => setAZh(e.currentTarget.value)}
            data-testid="faq-answer-zh"
          />
          <Textarea
            label={t('faqs.answerEn')}
            description={t('rumors.markdown')}
            autosize
            minRows={3}
            value={aEn}
            onChange={(e) => setAEn(e.currentTarget.value)}
            data-testid="faq-answer-en"
          />
        </SimpleGrid>
        <Group align="flex-end">
          <NumberInput
            label={t('faqs.position')}
            min={0}
            max={10_000}
            w={120}
            value={position}
            onChange={(v) => setPosition(typeof v === 'number' ? v : 0)}
          />
          <Switch
            label={t('faqs.publish')}
            checked={published}
            onChange={(e) => setPublished(e.currentTarget.checked)}
            data-testid="faq-published"
            mb={6}
          />
        </Group>
        <ProblemAlert error={save.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button disabled={!qZh.trim()} loading={save.isPending} onClick={submit} data-testid="faq-save">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function FaqCard({ incidentKey }: { incidentKey: string }) {
  const { t, i18n } = useTranslation();
  const canManage = useCan('media.manage');
  const faq = useFaq(incidentKey);
  const [editing, setEditing] = useState<FaqItem | 'new' | null>(null);
  return (
    <Card withBorder radius="md" data-testid="faq">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={4}>{t('faqs.title')}</Title>
          {canManage && (
            <Button size="xs" variant="light" onClick={() => setEditing('new')} data-testid="faq-add">
              {t('faqs.add')}
            </Button>
          )}
        </Group>
        <QueryView query={faq} compact keepOnError>
          {(items) =>
            items.length === 0 ? (
              <EmptyState compact>{t('faqs.empty')}</EmptyState>
            ) : (
              <Stack gap="sm">
                {items.map((f) => (
                  <Stack gap={2} key={f.id} data-testid="faq-item" data-id={f.id}>
                    <Group justify="space-between" wrap="nowrap" align="flex-start">
                      <Text size="sm" fw={600} className="tocsin-break">
                        {pickZhEn(f.question, i18n.language)}
                      </Text>
                      <Badge
                        size="sm"
                        variant={f.published ? 'filled' : 'outline'}
                        color={f.published ? 'indigo' : 'gray'}
                        style={{ flexShrink: 0 }}
                      >
                        {f.published ? t('rumors.published') : t('rumors.notPublished')}
                      </Badge>
                    </Group>
                    <RichText html={pickZhEn(f.answerHtml, i18n.language)} />
                    {canManage && (
                      <Group>
                        <Button size="compact-xs" variant="subtle" onClick={() => setEditing(f)} data-testid="faq-edit">
                          {t('rumors.editShort')}
                        </Button>
                      </Group>
                    )}
                  </Stack>
                ))}
              </Stack>
            )
          }
        </QueryView>
      </Stack>
      {editing && (
        <FaqModal
          incidentKey={incidentKey}
          item={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      )}
    </Card>
  );
}

/** The blameless template: the written sections (Markdown, shown as the server sanitized it) and the contributing factors with five whys. */
import { ActionIcon, Button, Card, Group, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { RichText } from '../media/rich-text.js';
import { FACTOR_CATEGORIES, REVIEW_SECTIONS, type Review, type useReviewMutations } from './reviews-api.js';

type Factor = Review['factors'][number];

export function ReviewEditor({ r, m }: { r: Review; m: ReturnType<typeof useReviewMutations> }) {
  const { t } = useTranslation();
  const [sections, setSections] = useState(r.sections);
  const [factors, setFactors] = useState<Factor[]>(r.factors);
  // Stable keys of the factors being edited (a factor removed keeps the others' fields in place).
  const [keys, setKeys] = useState<number[]>(() => r.factors.map((_, i) => i));
  const editable = r.can.edit;
  const setFactor = (n: number, f: Partial<Factor>) =>
    setFactors((xs) => xs.map((x, i) => (i === n ? { ...x, ...f } : x)));
  const save = () =>
    m.save.mutate({
      sections,
      factors: factors
        .filter((f) => f.title.trim())
        .map((f) => ({ ...f, title: f.title.trim(), whys: f.whys.map((w) => w.trim()).filter(Boolean) })),
      revision: r.revision,
    });
  return (
    <Stack gap="md">
      {REVIEW_SECTIONS.map((s) => (
        <Card key={s} withBorder radius="md" data-testid={`rv-section-${s}`}>
          <Stack gap="xs">
            <Title order={5}>{t(`reviews.section.${s}`)}</Title>
            {editable && (
              <Textarea
                autosize
                minRows={2}
                maxRows={16}
                aria-label={t(`reviews.section.${s}`)}
                description={t(`reviews.hint.${s}`)}
                value={sections[s]}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  setSections((x) => ({ ...x, [s]: v }));
                }}
                data-testid={`rv-input-${s}`}
              />
            )}
            {r.html[s] ? <RichText html={r.html[s]} testId={`rv-html-${s}`} /> : null}
          </Stack>
        </Card>
      ))}
      <Card withBorder radius="md" data-testid="rv-factors">
        <Stack gap="sm">
          <Title order={5}>{t('reviews.factors')}</Title>
          <Text size="xs" c="dimmed">
            {t('reviews.factorsHint')}
          </Text>
          {factors.map((f, n) => (
            <Card key={keys[n]} withBorder radius="sm" p="xs" data-testid="rv-factor">
              <Stack gap={6}>
                <Group grow align="flex-end">
                  <Select
                    label={t('reviews.factorCategory')}
                    data={FACTOR_CATEGORIES.map((c) => ({ value: c, label: t(`reviews.category.${c}`) }))}
                    value={f.category}
                    onChange={(v) => v && setFactor(n, { category: v as Factor['category'] })}
                    allowDeselect={false}
                    disabled={!editable}
                  />
                  <TextInput
                    label={t('reviews.factorTitle')}
                    value={f.title}
                    onChange={(e) => setFactor(n, { title: e.currentTarget.value })}
                    maxLength={300}
                    disabled={!editable}
                    data-testid="rv-factor-title"
                  />
                </Group>
                {[0, 1, 2, 3, 4].map((w) => (
                  <TextInput
                    key={w}
                    size="xs"
                    leftSection={<Text size="xs">{w + 1}</Text>}
                    placeholder={t('reviews.why', { n: w + 1 })}
                    value={f.whys[w] ?? ''}
                    onChange={(e) => {
                      const whys = [...f.whys];
                      while (whys.length < w) whys.push('');
                      whys[w] = e.currentTarget.value;
                      setFactor(n, { whys });
                    }}
                    maxLength={1000}
                    disabled={!editable}
                    data-testid={`rv-why-${w}`}
                  />
                ))}
                {editable && (
                  <Group justify="flex-end">
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('reviews.removeFactor')}
                      onClick={() => {
                        setFactors((xs) => xs.filter((_, i) => i !== n));
                        setKeys((ks) => ks.filter((_, i) => i !== n));
                      }}
                    >
                      ×
                    </ActionIcon>
                  </Group>
                )}
              </Stack>
            </Card>
          ))}
          {editable && (
            <Button
              variant="light"
              size="xs"
              onClick={() => {
                setFactors((xs) => [...xs, { category: 'process', title: '', whys: [] }]);
                setKeys((ks) => [...ks, Math.max(-1, ...ks) + 1]);
              }}
              data-testid="rv-add-factor"
            >
              {t('reviews.addFactor')}
            </Button>
          )}
        </Stack>
      </Card>
      {editable && (
        <Group>
          <Button onClick={save} loading={m.save.isPending} data-testid="rv-save">
            {t('reviews.save')}
          </Button>
        </Group>
      )}
      <ProblemAlert error={m.save.error} />
    </Stack>
  );
}

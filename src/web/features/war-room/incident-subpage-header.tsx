/**
 * The head of an incident's own pages (compensation, evidence, entity graph): back to the war room, the
 * incident's key and title, the page's title and an optional line under it.
 */
import type { ReactNode } from 'react';
import { Anchor, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { incidentTitle } from '../../ui/localized.js';
import { QueryView } from '../../ui/query-view.js';
import { useIncident } from './war-room-api.js';

export function IncidentSubpageHeader(props: {
  incidentKey: string;
  title: string;
  back: string;
  backTestId: string;
  intro?: ReactNode;
}) {
  const { i18n } = useTranslation();
  const { incidentKey: key } = props;
  const incident = useIncident(key);
  return (
    <Paper withBorder p="md" radius="md">
      <Stack gap={4}>
        <Anchor component={Link} to={`/incidents/${encodeURIComponent(key)}`} size="sm" data-testid={props.backTestId}>
          ← {props.back}
        </Anchor>
        <Group gap="xs">
          <Text ff="monospace" fw={700}>
            {key}
          </Text>
          <QueryView query={incident} compact>
            {(inc) => <Text className="tocsin-break">{incidentTitle(inc, i18n.language)}</Text>}
          </QueryView>
        </Group>
        <Title order={2} fz={{ base: 20, sm: 26 }}>
          {props.title}
        </Title>
        {props.intro && (
          <Text size="sm" c="dimmed">
            {props.intro}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

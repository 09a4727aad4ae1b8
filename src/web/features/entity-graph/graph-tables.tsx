/** The entity graph as tables: its nodes (each a button that selects it) and its edges — the accessible view of the canvas. */
import { Badge, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../ui/time.js';
import type { GraphEdge, GraphNode } from './graph-api.js';
import { NODE_LOOK } from './graph-style.js';

const when = (v: string | null, lang: string) => (v ? formatDateTime(v, lang) : '—');

export function NodesTable({
  nodes,
  selected,
  onSelect,
}: {
  nodes: GraphNode[];
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <Title order={4}>{t('entityGraph.nodesTitle', { count: nodes.length })}</Title>
      <Table.ScrollContainer minWidth={640}>
        <Table
          striped
          highlightOnHover
          data-testid="graph-nodes"
          aria-label={t('entityGraph.nodesTitle', { count: nodes.length })}
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('entityGraph.col.type')}</Table.Th>
              <Table.Th>{t('entityGraph.col.value')}</Table.Th>
              <Table.Th>{t('entityGraph.col.firstSeen')}</Table.Th>
              <Table.Th>{t('entityGraph.col.lastSeen')}</Table.Th>
              <Table.Th>{t('entityGraph.col.alerts')}</Table.Th>
              <Table.Th>IOC</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {nodes.map((n) => (
              <Table.Tr
                key={n.id}
                data-testid="graph-node-row"
                data-node={n.id}
                bg={n.id === selected ? 'var(--mantine-color-default-hover)' : undefined}
              >
                <Table.Td>
                  <Badge color={NODE_LOOK[n.type].color} variant="light" size="sm">
                    {t(`entityGraph.type.${n.type}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <UnstyledButton
                    onClick={() => onSelect(n.id)}
                    aria-pressed={n.id === selected}
                    className="tocsin-break"
                    ff="monospace"
                    fz="sm"
                    td="underline"
                  >
                    {n.value}
                  </UnstyledButton>
                </Table.Td>
                <Table.Td fz="xs">{when(n.firstSeen, i18n.language)}</Table.Td>
                <Table.Td fz="xs">{when(n.lastSeen, i18n.language)}</Table.Td>
                <Table.Td>{n.alertCount}</Table.Td>
                <Table.Td fz="xs">{n.ioc ? `TLP:${n.ioc.tlp.toUpperCase()} · ${n.ioc.confidence}` : ''}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}

export function EdgesTable({ edges, labelOf }: { edges: GraphEdge[]; labelOf: (id: string) => string }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      <Title order={4}>{t('entityGraph.edgesTitle', { count: edges.length })}</Title>
      {edges.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('entityGraph.noEdges')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped data-testid="graph-edges" aria-label={t('entityGraph.edgesTitle', { count: edges.length })}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('entityGraph.col.source')}</Table.Th>
                <Table.Th>{t('entityGraph.col.relation')}</Table.Th>
                <Table.Th>{t('entityGraph.col.target')}</Table.Th>
                <Table.Th>{t('entityGraph.col.count')}</Table.Th>
                <Table.Th>{t('entityGraph.col.firstSeen')}</Table.Th>
                <Table.Th>{t('entityGraph.col.lastSeen')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {edges.map((e) => (
                <Table.Tr key={e.id} data-testid="graph-edge-row" data-edge={e.id}>
                  <Table.Td ff="monospace" fz="sm" className="tocsin-break">
                    {labelOf(e.source)}
                  </Table.Td>
                  <Table.Td fz="sm">{t(`entityGraph.relation.${e.relation}`)}</Table.Td>
                  <Table.Td ff="monospace" fz="sm" className="tocsin-break">
                    {labelOf(e.target)}
                  </Table.Td>
                  <Table.Td>{e.count}</Table.Td>
                  <Table.Td fz="xs">{when(e.firstSeen, i18n.language)}</Table.Td>
                  <Table.Td fz="xs">{when(e.lastSeen, i18n.language)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </>
  );
}

/**
 * An incident's entity graph at /incidents/:key/graph (issue 15): the canvas (cytoscape) with a legend
 * that is also the type filter and a fit button, a side panel with the selected entity's details and
 * "Expand" (its neighbours outside the incident too, added to the graph and laid out again), and the
 * nodes and edges as tables below.
 */
import { Button, Checkbox, Grid, Group, Paper, Stack, Text, useComputedColorScheme } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { usePageTitle } from '../../app/page-title.js';
import { useCan } from '../../app/session.js';
import { NotPermitted } from '../../ui/misc.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { QueryView } from '../../ui/query-view.js';
import { formatDateTime } from '../../ui/time.js';
import { IncidentSubpageHeader } from '../war-room/incident-subpage-header.js';
import {
  type EntityGraph,
  GRAPH_NODE_TYPES,
  type GraphEdge,
  type GraphNode,
  type GraphNodeType,
  useEntityGraph,
  useExpandNode,
} from './graph-api.js';
import { GraphCanvas } from './graph-canvas.js';
import { legendShape, NODE_LOOK } from './graph-style.js';
import { EdgesTable, NodesTable } from './graph-tables.js';

export function EntityGraphPage() {
  const { key = '' } = useParams();
  const { t } = useTranslation();
  const canRead = useCan('evidence.read');
  const graph = useEntityGraph(key);
  usePageTitle(`${key} · ${t('entityGraph.title')}`);
  if (!canRead) return <NotPermitted />;
  return (
    <Stack gap="md" data-testid="entity-graph-page" data-key={key}>
      <IncidentSubpageHeader
        incidentKey={key}
        title={t('entityGraph.title')}
        back={t('entityGraph.back', { key })}
        backTestId="graph-back"
      />
      <QueryView query={graph}>{(g) => <GraphView incidentKey={key} graph={g} />}</QueryView>
    </Stack>
  );
}

function GraphView({ incidentKey, graph }: { incidentKey: string; graph: EntityGraph }) {
  const { t, i18n } = useTranslation();
  const dark = useComputedColorScheme('light') === 'dark';
  const expand = useExpandNode(incidentKey);
  const [added, setAdded] = useState<{ nodes: GraphNode[]; edges: GraphEdge[] }>({ nodes: [], edges: [] });
  const [expanded, setExpanded] = useState<Record<string, { added: number; more: number }>>({});
  const [hidden, setHidden] = useState<GraphNodeType[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [fitToken, setFitToken] = useState(0);

  const all = useMemo(() => {
    const nodes = new Map<string, GraphNode>();
    for (const n of [...graph.nodes, ...added.nodes]) if (!nodes.has(n.id)) nodes.set(n.id, n);
    const edges = new Map<string, GraphEdge>();
    for (const e of [...graph.edges, ...added.edges]) if (!edges.has(e.id)) edges.set(e.id, e);
    return { nodes, edges };
  }, [graph, added]);
  const shown = useMemo(() => {
    const nodes = [...all.nodes.values()].filter((n) => !hidden.includes(n.type));
    const ids = new Set(nodes.map((n) => n.id));
    const edges = [...all.edges.values()].filter((e) => ids.has(e.source) && ids.has(e.target));
    return { nodes, edges };
  }, [all, hidden]);
  const present = GRAPH_NODE_TYPES.filter((type) => [...all.nodes.values()].some((n) => n.type === type));
  const node = selected ? all.nodes.get(selected) : undefined;
  const labelOf = (id: string) => all.nodes.get(id)?.value ?? id;

  const doExpand = (id: string) =>
    expand.mutate(id, {
      onSuccess: (x) => {
        const fresh = x.nodes.filter((n) => !all.nodes.has(n.id)).length;
        setAdded((a) => ({ nodes: [...a.nodes, ...x.nodes], edges: [...a.edges, ...x.edges] }));
        setExpanded((e) => ({ ...e, [id]: { added: fresh, more: x.more } }));
      },
    });

  const summary = t('entityGraph.summary', { nodes: shown.nodes.length, edges: shown.edges.length });
  return (
    <Stack gap="md">
      <Paper withBorder p="md" radius="md">
        <Stack gap="xs">
          <Group justify="space-between" gap="xs">
            <Text size="sm" data-testid="graph-summary">
              {summary} ·{' '}
              {t('entityGraph.window', {
                from: formatDateTime(graph.window.from, i18n.language),
                to: formatDateTime(graph.window.to, i18n.language),
              })}
            </Text>
            <Button size="xs" variant="default" onClick={() => setFitToken((n) => n + 1)} data-testid="graph-fit">
              {t('entityGraph.fit')}
            </Button>
          </Group>
          {graph.truncated && (
            <Text size="xs" c="orange" data-testid="graph-truncated">
              {t('entityGraph.truncated')}
            </Text>
          )}
          <Group gap="md" data-testid="graph-legend" aria-label={t('entityGraph.filter')} role="group">
            {present.map((type) => (
              <Checkbox
                key={type}
                size="xs"
                checked={!hidden.includes(type)}
                onChange={(e) =>
                  setHidden((h) => (e.currentTarget.checked ? h.filter((x) => x !== type) : [...h, type]))
                }
                data-testid={`graph-filter-${type}`}
                label={
                  <Group gap={6} wrap="nowrap">
                    <span
                      aria-hidden
                      style={{
                        display: 'inline-block',
                        width: 12,
                        height: 12,
                        background: NODE_LOOK[type].color,
                        ...legendShape(NODE_LOOK[type].shape),
                      }}
                    />
                    {t(`entityGraph.type.${type}`)} ({[...all.nodes.values()].filter((n) => n.type === type).length})
                  </Group>
                }
              />
            ))}
          </Group>
        </Stack>
      </Paper>
      <Grid gutter="md">
        <Grid.Col span={{ base: 12, md: 8, lg: 9 }}>
          <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
            {shown.nodes.length === 0 ? (
              <Text p="md" c="dimmed">
                {t('entityGraph.empty')}
              </Text>
            ) : null}
            <GraphCanvas
              nodes={shown.nodes}
              edges={shown.edges}
              selected={selected}
              onSelect={setSelected}
              fitToken={fitToken}
              dark={dark}
              label={`${t('entityGraph.title')}: ${summary}`}
              relationLabel={(r) => t(`entityGraph.relation.${r}`)}
            />
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4, lg: 3 }}>
          <Paper withBorder p="md" radius="md" data-testid="graph-panel">
            {node ? (
              <Stack gap="xs">
                <Text size="xs" c="dimmed">
                  {t(`entityGraph.type.${node.type}`)}
                </Text>
                <Text ff="monospace" fw={700} className="tocsin-break" data-testid="graph-panel-value">
                  {node.value}
                </Text>
                <Detail
                  label={t('entityGraph.col.firstSeen')}
                  value={node.firstSeen ? formatDateTime(node.firstSeen, i18n.language) : '—'}
                />
                <Detail
                  label={t('entityGraph.col.lastSeen')}
                  value={node.lastSeen ? formatDateTime(node.lastSeen, i18n.language) : '—'}
                />
                <Detail label={t('entityGraph.col.alerts')} value={String(node.alertCount)} />
                {node.ioc && (
                  <Detail
                    label="IOC"
                    value={`TLP:${node.ioc.tlp.toUpperCase()} · ${t('entityGraph.confidence')} ${node.ioc.confidence}`}
                  />
                )}
                <Detail
                  label={t('entityGraph.links')}
                  value={String(
                    [...all.edges.values()].filter((e) => e.source === node.id || e.target === node.id).length,
                  )}
                />
                <Button
                  size="xs"
                  onClick={() => doExpand(node.id)}
                  loading={expand.isPending}
                  data-testid="graph-expand"
                >
                  {t('entityGraph.expand')}
                </Button>
                {expanded[node.id] && (
                  <Text size="xs" data-testid="graph-expanded">
                    {t('entityGraph.expanded', { count: expanded[node.id]!.added })}
                    {expanded[node.id]!.more > 0 ? ` ${t('entityGraph.more', { count: expanded[node.id]!.more })}` : ''}
                  </Text>
                )}
                {expand.error ? <ProblemAlert error={expand.error} /> : null}
              </Stack>
            ) : (
              <Text size="sm" c="dimmed">
                {t('entityGraph.pick')}
              </Text>
            )}
          </Paper>
        </Grid.Col>
      </Grid>
      <Paper withBorder p="md" radius="md">
        <Stack gap="sm">
          <NodesTable nodes={shown.nodes} selected={selected} onSelect={setSelected} />
          <EdgesTable edges={shown.edges} labelOf={labelOf} />
        </Stack>
      </Paper>
    </Stack>
  );
}

function Detail({ label, value }: { label: string; value: string }) {
  return (
    <Group gap="xs" justify="space-between" wrap="nowrap">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{value}</Text>
    </Group>
  );
}

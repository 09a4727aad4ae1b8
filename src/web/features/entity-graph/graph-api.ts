/** The entity graph of an incident and the expansion of one entity (issue 15). */
import { useMutation, useQuery } from '@tanstack/react-query';
import type { EntityGraph, GraphEdge, GraphExpansion, GraphNode } from '../../../shared/entity-graph-schemas.js';
import { api, qs } from '../../app/api.js';

export type { EntityGraph, GraphEdge, GraphExpansion, GraphNode };
export { GRAPH_NODE_TYPES, type GraphNodeType } from '../../../shared/entity-graph-schemas.js';

const enc = encodeURIComponent;

export function useEntityGraph(key: string) {
  return useQuery({
    queryKey: ['entity-graph', key],
    queryFn: ({ signal }) => api<EntityGraph>(`/incidents/${enc(key)}/graph`, { signal }),
  });
}

export function useExpandNode(key: string) {
  return useMutation({
    mutationFn: (nodeId: string) => api<GraphExpansion>(`/incidents/${enc(key)}/graph/expand${qs({ node: nodeId })}`),
  });
}

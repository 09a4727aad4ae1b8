/**
 * The entity graph drawn by cytoscape: created on mount and destroyed on unmount, its elements kept in
 * step with the nodes and edges given (new ones placed at the selected node, then the cose layout run
 * again), colours and shapes per type, the selected node highlighted; a tap on a node selects it.
 * The canvas is not readable by assistive technology: the tables below it are the accessible view.
 */
import cytoscape, { type Core, type StylesheetJson } from 'cytoscape';
import { useEffect, useRef } from 'react';
import type { GraphEdge, GraphNode } from './graph-api.js';
import { NODE_LOOK } from './graph-style.js';

function stylesheet(dark: boolean): StylesheetJson {
  const text = dark ? '#c1c2c5' : '#212529';
  const line = dark ? '#5c5f66' : '#adb5bd';
  return [
    {
      selector: 'node',
      style: {
        'background-color': 'data(color)',
        shape: 'data(shape)' as never,
        label: 'data(label)',
        color: text,
        'font-size': 10,
        'text-valign': 'bottom',
        'text-margin-y': 4,
        width: 26,
        height: 26,
      },
    },
    { selector: 'node[?ioc]', style: { 'border-width': 3, 'border-color': '#fab005' } },
    {
      selector: 'node:selected',
      style: { 'border-width': 4, 'border-color': dark ? '#ffffff' : '#000000', 'font-weight': 'bold' },
    },
    {
      selector: 'edge',
      style: {
        width: 'mapData(count, 1, 50, 1, 6)',
        'line-color': line,
        'target-arrow-color': line,
        'target-arrow-shape': 'triangle',
        'arrow-scale': 0.8,
        'curve-style': 'bezier',
        label: 'data(label)',
        'font-size': 7,
        color: text,
        'text-opacity': 0.7,
        'text-rotation': 'autorotate',
      },
    },
  ];
}

export function GraphCanvas({
  nodes,
  edges,
  selected,
  onSelect,
  fitToken,
  dark,
  label,
  relationLabel,
}: {
  nodes: GraphNode[];
  edges: GraphEdge[];
  selected: string | null;
  onSelect: (id: string | null) => void;
  /** Changed to fit the graph to the canvas again. */
  fitToken: number;
  dark: boolean;
  label: string;
  /** The words of an edge's relation, in the console's language. */
  relationLabel: (relation: GraphEdge['relation']) => string;
}) {
  const container = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const selectRef = useRef(onSelect);
  selectRef.current = onSelect;
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const darkRef = useRef(dark);
  darkRef.current = dark;
  const relationRef = useRef(relationLabel);
  relationRef.current = relationLabel;

  useEffect(() => {
    const cy = cytoscape({
      container: container.current,
      elements: [],
      style: stylesheet(darkRef.current),
      minZoom: 0.1,
      maxZoom: 4,
      boxSelectionEnabled: false,
    });
    cy.on('tap', 'node', (e) => selectRef.current(e.target.id() as string));
    cy.on('tap', (e) => {
      if (e.target === cy) selectRef.current(null);
    });
    cyRef.current = cy;
    return () => {
      cy.destroy();
      cyRef.current = null;
    };
  }, []);

  useEffect(() => {
    cyRef.current?.style(stylesheet(dark));
  }, [dark]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    const want = new Set([...nodes.map((n) => n.id), ...edges.map((e) => e.id)]);
    const from = selectedRef.current ? cy.getElementById(selectedRef.current) : null;
    const at = from?.nonempty() ? { ...from.position() } : undefined;
    cy.batch(() => {
      cy.elements()
        .filter((el) => !want.has(el.id()))
        .remove();
      for (const n of nodes)
        if (cy.getElementById(n.id).empty())
          cy.add({
            group: 'nodes',
            data: { id: n.id, label: n.label, ioc: n.ioc ? 1 : 0, ...NODE_LOOK[n.type] },
            ...(at ? { position: { x: at.x + Math.random() * 20 - 10, y: at.y + Math.random() * 20 - 10 } } : {}),
          });
      for (const e of edges)
        if (
          cy.getElementById(e.id).empty() &&
          !cy.getElementById(e.source).empty() &&
          !cy.getElementById(e.target).empty()
        )
          cy.add({
            group: 'edges',
            data: {
              id: e.id,
              source: e.source,
              target: e.target,
              label: relationRef.current(e.relation),
              count: e.count,
            },
          });
    });
    cy.layout({
      name: 'cose',
      animate: false,
      randomize: !at,
      fit: true,
      padding: 30,
      nodeDimensionsIncludeLabels: true,
    }).run();
    if (container.current) {
      container.current.dataset.nodes = JSON.stringify(cy.nodes().map((n) => n.id()));
      container.current.dataset.nodeCount = String(cy.nodes().length);
    }
  }, [nodes, edges]);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    cy.nodes(':selected').unselect();
    if (selected) cy.getElementById(selected).select();
  }, [selected]);

  useEffect(() => {
    if (fitToken) cyRef.current?.fit(undefined, 30);
  }, [fitToken]);

  return (
    <div
      ref={container}
      role="img"
      aria-label={label}
      data-testid="graph-canvas"
      style={{ width: '100%', height: 520, minHeight: 320 }}
    />
  );
}

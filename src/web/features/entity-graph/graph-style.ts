/** How each type of entity looks on the canvas and in the legend: a colour and a shape, the same in both themes. */
import type { GraphNodeType } from '../../../shared/entity-graph-schemas.js';

export const NODE_LOOK: Record<GraphNodeType, { color: string; shape: string }> = {
  account: { color: '#e03131', shape: 'ellipse' },
  user: { color: '#f76707', shape: 'ellipse' },
  ip: { color: '#1c7ed6', shape: 'diamond' },
  device: { color: '#0ca678', shape: 'round-rectangle' },
  host: { color: '#7048e8', shape: 'rectangle' },
  file: { color: '#868e96', shape: 'hexagon' },
  domain: { color: '#1098ad', shape: 'triangle' },
  url: { color: '#74b816', shape: 'vee' },
  email: { color: '#d6336c', shape: 'star' },
};

/** The legend's CSS stand-in for a cytoscape shape. */
export function legendShape(shape: string): React.CSSProperties {
  switch (shape) {
    case 'ellipse':
      return { borderRadius: '50%' };
    case 'diamond':
      return { transform: 'rotate(45deg) scale(0.8)' };
    case 'round-rectangle':
      return { borderRadius: 4 };
    case 'triangle':
    case 'vee':
      return { clipPath: 'polygon(50% 0, 100% 100%, 0 100%)' };
    case 'hexagon':
      return { clipPath: 'polygon(25% 0, 75% 0, 100% 50%, 75% 100%, 25% 100%, 0 50%)' };
    case 'star':
      return {
        clipPath: 'polygon(50% 0, 61% 35%, 98% 35%, 68% 57%, 79% 91%, 50% 70%, 21% 91%, 32% 57%, 2% 35%, 39% 35%)',
      };
    default:
      return {};
  }
}

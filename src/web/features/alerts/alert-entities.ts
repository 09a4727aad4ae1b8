/** An alert's entities as one flat list of kind + value. */
import type { EntityKind } from '../../../shared/enums.js';
import type { Entities } from '../../app/types.js';

export function entityList(e: Entities): { kind: EntityKind; value: string }[] {
  return [
    ...e.accounts.map((value) => ({ kind: 'account' as const, value })),
    ...e.hosts.map((value) => ({ kind: 'host' as const, value })),
    ...e.ips.map((value) => ({ kind: 'ip' as const, value })),
  ];
}

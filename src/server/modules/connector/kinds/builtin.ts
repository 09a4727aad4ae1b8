/** The containment kinds Tocsin brings (staff channels come from the paging module at wiring time). */
import type { ActionKindSpec } from '../action-kind.js';
import { commandKind } from './command.kind.js';
import { edrKind } from './edr.kind.js';
import { firewallKind } from './firewall.kind.js';
import { httpKind } from './http.kind.js';
import { tradingCoreKind } from './trading-core.kind.js';

// biome-ignore lint/suspicious/noExplicitAny: each kind has its own config and secret types
export const BUILTIN_ACTION_KINDS: ActionKindSpec<any, any>[] = [
  httpKind,
  commandKind,
  tradingCoreKind,
  edrKind,
  firewallKind,
];

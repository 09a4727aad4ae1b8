/**
 * What a containment kind adds to the connector contract (connector-kind.ts): its actions. An action
 * validates its parameters, does its work through the run's context — HTTP through the connector's
 * guarded client, executables without a shell — and may define a rollback. The context records every
 * request (secrets redacted) and, in a dry run, sends nothing.
 */
import type { z } from 'zod';
import type { Approval } from '../../../shared/connector-schemas.js';
import type { ConnectorContext, ConnectorKindSpec, OutboundRequest, OutboundResponse } from './connector-kind.js';

/** A failed attempt: `retry` when trying again may help (5xx, timeout, garbage), not for a refusal (4xx, guard). */
export class ActionFailure extends Error {
  constructor(
    message: string,
    readonly retry: boolean,
  ) {
    super(message);
    this.name = 'ActionFailure';
  }
}

export interface SendOptions {
  /** The Idempotency-Key header (default: the run's key). */
  key?: string;
  /** Statuses that count as done (default 200–299). */
  expect?: readonly number[];
}

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ActionContext<C, S> extends ConnectorContext<C, S> {
  /** The run's idempotency key. */
  key: string;
  dryRun: boolean;
  /**
   * Sends through the guarded client with an `Idempotency-Key` header and records it; null in a dry run
   * (recorded, not sent). Throws ActionFailure when the answer is not an expected status.
   */
  send(req: OutboundRequest, opts?: SendOptions): Promise<OutboundResponse | null>;
  /** Runs `file` with `args` (never a shell), records it; null in a dry run. Throws ActionFailure on a non-zero exit or timeout. */
  exec(
    file: string,
    args: string[],
    opts: { timeoutMs: number; env: Record<string, string> },
  ): Promise<CommandResult | null>;
}

export interface ActionDef<C = unknown, S = unknown, P = unknown> {
  name: string;
  parameters: z.ZodType<P>;
  /** The least approval the action needs, whatever was asked (high-risk actions: two_person). */
  minApproval?: Approval;
  /** Does the action; what it returns is kept with the run (for the rollback). */
  run(ctx: ActionContext<C, S>, params: P): Promise<unknown>;
  /** Undoes it, given what `run` returned. */
  rollback?(ctx: ActionContext<C, S>, params: P, result: unknown): Promise<unknown>;
}

export interface ActionKindSpec<C = unknown, S = unknown> extends ConnectorKindSpec<C, S> {
  purpose: 'action';
  // biome-ignore lint/suspicious/noExplicitAny: each action has its own parameter type
  actions: ActionDef<C, S, any>[];
  /** Further action names this configuration answers to with its first action (generic kinds). */
  aliases?(config: C): string[];
  /** Attempts of a run (default 4). */
  maxAttempts?(config: C): number;
}

/** The action `name` of a kind for a configuration. */
export function findAction(spec: ConnectorKindSpec, config: unknown, name: string): ActionDef | undefined {
  if (spec.purpose !== 'action' || !('actions' in spec)) return undefined;
  const s = spec as ActionKindSpec;
  return s.actions.find((a) => a.name === name) ?? (s.aliases?.(config).includes(name) ? s.actions[0] : undefined);
}

/**
 * Stable codes of API problems: `code` (with `params`) of a problem+json body, and `code` (with
 * `params`) of each entry of its `errors`. Clients key on these, never on the English `detail` or
 * `message`, which may be reworded. The console words every code in zh-CN and English
 * (`problemCode` and `fieldCode` in `src/web/i18n/*.ts`, typed against these lists: a code without
 * words fails tsc) and shows the server's English text for a code it does not know.
 *
 * To add a code: add it here, pass it where the error is thrown (`AppError`'s `problem` argument or a
 * helper of `platform/errors.ts`), and word it in both console catalogs.
 */

/** Codes of whole problems. Generic ones (no dot) are what an error without a specific code gets. */
export const PROBLEM_CODES = [
  // generic, by kind of failure
  'bad_request',
  'validation',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'too_large',
  'too_many_events',
  'too_many_samples',
  'unsupported_media_type',
  'malformed_json',
  'malformed_body',
  'too_many_requests',
  'overloaded',
  'unavailable',
  'internal',
  'cursor.invalid',
  // signing in and second factor
  'auth.bad_credentials',
  'auth.local_sign_in_refused',
  'auth.directory_no_role',
  'auth.directory_failed',
  'auth.provider_unknown',
  'auth.oidc_state_invalid',
  'auth.throttled',
  'auth.mfa_code_wrong',
  'auth.mfa_pending',
  'auth.mfa_enrolment_required',
  'auth.mfa_not_enabled',
  'auth.mfa_already_enabled',
  'auth.mfa_enrol_first',
  'auth.session_only',
  'auth.token_invalid',
  'auth.no_session',
  'auth.csrf',
  'auth.password_change_required',
  'auth.password_session_only',
  'auth.password_wrong',
  'auth.password_rejected',
  'auth.reset_self',
  // permissions
  'permission.denied',
  'permission.token_scope',
  // incidents, timeline, tasks
  'incident.not_found',
  'incident.version_conflict',
  'incident.transition_not_allowed',
  'incident.detected_in_future',
  'incident.participant_exists',
  'incident.participant_not_found',
  'incident.commander_other_role',
  'incident.commander_self_only',
  'incident.commander_taken',
  'incident.restrict_needs_commander',
  'incident.restrict_not_commander',
  'timeline.correction_target_missing',
  'timeline.correction_target_unknown',
  'task.not_found',
  // alerts, suppressions, maintenance windows
  'alert.not_found',
  'alert.not_open',
  'alert.not_active',
  'alert.entity_not_in_alert',
  'suppression.not_found',
  'suppression.needs_scope',
  'suppression.withheld',
  'maintenance.not_found',
  'maintenance.ends_before_start',
  'maintenance.already_over',
  'maintenance.too_long',
  'maintenance.needs_scope',
  'time.not_in_future',
  'entity.invalid_ip',
  'entity.invalid_name',
  // catalog services, probes
  'service.unknown',
  'service.not_found',
  'service.exists',
  'probe.not_found',
  'probe.tcp_conditions',
  'probe.timeout_not_below_interval',
  'probe.body_regex_refused',
  'probe.target_refused',
  // detection rules
  'rule.not_found',
  'rule.compile_failed',
  'rule.upload_empty',
  'rule.id_taken',
  'rule.uploaded_meanwhile',
  'rule.read_only',
  'rule.in_use',
  // users and tokens
  'user.not_found',
  'user.unknown_or_disabled',
  'user.email_taken',
  'user.self_change',
  'token.not_found',
  // audit log
  'audit.empty_range',
  // emergency plans
  'plan.not_active',
  // durable jobs
  'job.not_dead',
  'plan.not_found',
  'plan.version_not_found',
  'plan.invalid',
  'plan.wrong_status',
  'plan.cacao_unconvertible',
  // connectors and containment actions
  'connector.not_found',
  'connector.exists',
  'connector.disabled',
  'action.not_found',
  'action.unknown_action',
  'action.not_awaiting_approval',
  'action.two_person_rule',
  'action.no_rollback',
  'action.not_rollbackable',
  // statements
  'statement.not_found',
  'statement.version_not_found',
  'statement.wrong_state',
  'statement.self_review',
  'statement.already_reviewed',
  'statement.no_open_review',
  'statement.not_approved',
  'statement.emergency_needs_two',
  'statement.contradicts_fact',
  'statement.status_site_unavailable',
  // customer campaigns
  'campaign.unknown_audience',
  // regulator reports
  'report.not_found',
  'report.unknown_obligation',
  'report.wrong_state',
  'report.self_approval',
  'report.receipt_empty',
  'report.no_json_export',
  // compensation claims
  'compensation.transition_not_allowed',
  'compensation.claim_exists',
  'compensation.self_approval',
  'compensation.above_tier_cap',
  'compensation.already_approved',
  'compensation.self_review',
  'compensation.run_not_reviewed',
  // compensation payout batches
  'compensation.batch_id_taken',
  'compensation.claim_not_payable',
  'compensation.nothing_to_pay',
  'compensation.claim_in_batch',
  'compensation.batch_not_exported',
  'compensation.batch_already_paid',
  'compensation.payee_incomplete',
  'compensation.return_unusable',
  'compensation.attachment_type',
  'compensation.attachment_too_large',
  'compensation.attachments_full',
  'compensation.portal_closed',
  // evidence locker
  'evidence.too_large',
  'evidence.no_file',
  'evidence.on_hold',
  'evidence.no_preview',
  'evidence.preview_refused',
  'investigation.unknown_technique',
  'investigation.request_answered',
  'investigation.request_not_open',
  // investigation report
  'investigation_report.wrong_state',
  'investigation_report.self_approval',
  'investigation_report.stale_revision',
  'investigation_report.no_summary',
  'investigation_report.no_announcement',
  'evidence.item_changed',
  'evidence.items_unknown',
  // action items and reviews (issue 16)
  'action_item.not_found',
  'action_item.stale_version',
  'action_item.transition_not_allowed',
  'action_item.accept_risk_denied',
  'review.not_found',
  'review.exists',
  'review.not_resolved',
  'review.wrong_state',
  'review.stale_revision',
  'review.open_items',
  'risk.stale_version',
  'training.oncall_course_missing',
  // drills
  'drill.not_found',
  'drill.wrong_status',
  'drill.no_script',
  'drill.inject_unknown',
  // management reports
  'management_report.not_found',
  // session policy (issue 17)
  'session_policy.address_not_allowed',
  'session_policy.token_address_not_allowed',
  'session_policy.locks_you_out',
  'session_policy.token_lifetime_too_long',
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/**
 * Codes of field errors: zod's issue codes (with zod's own params: `minimum`, `maximum`, `origin`,
 * `expected`, `format`, `values`), and the checks services make on fields.
 */
export const FIELD_CODES = [
  // zod (https://zod.dev/packages/core: $ZodIssue)
  'invalid_type',
  'too_small',
  'too_big',
  'invalid_format',
  'not_multiple_of',
  'unrecognized_keys',
  'invalid_union',
  'invalid_key',
  'invalid_element',
  'invalid_value',
  'custom',
  // ours
  'nul_character',
  'lone_surrogate',
  'invalid_cursor',
  'unknown_user',
  'unknown_service',
  'unknown_entry',
  'required',
  'in_future',
  'not_in_future',
  'not_after_start',
  'too_long_window',
  'needs_scope',
  'not_alert_entity',
  'invalid_ip',
  'invalid_name',
  'wrong_code',
  'wrong_password',
  'tcp_no_http_conditions',
  'timeout_not_below_interval',
  'refused',
  'unknown_plan',
  'plan_problem',
  'unusable_statement',
  'unknown_set',
  'unknown_branch',
  'unknown_tier',
  'unknown_customer',
  'invalid_amount',
  'unknown_input',
  'unknown_item',
  'request_incident',
  'unknown_incident',
  // session policy (issue 17)
  'must_contain_address',
] as const;
export type FieldCode = (typeof FIELD_CODES)[number];

/** Values a code's message is worded with (numbers, keys, names; never free text from a person). */
export type ProblemParams = Record<string, string | number>;

export const isProblemCode = (v: unknown): v is ProblemCode =>
  typeof v === 'string' && (PROBLEM_CODES as readonly string[]).includes(v);
export const isFieldCode = (v: unknown): v is FieldCode =>
  typeof v === 'string' && (FIELD_CODES as readonly string[]).includes(v);

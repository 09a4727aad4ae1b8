/**
 * The approval path's buttons, each shown only to those whose role may use it and in the states the
 * server allows: submit, review (approve / request changes with a comment), the emergency path (each of
 * two people approves, then someone publishes with a reason), publish (acknowledging contradiction
 * flags), withdraw with a reason.
 */
import { Alert, Button, Card, Checkbox, Group, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan, useSession } from '../../app/session.js';
import { ConfirmButton } from '../../ui/confirm-button.js';
import { ProblemAlert } from '../../ui/problem-alert.js';
import { type Statement, useStatementStep } from './statements-api.js';

/** The emergency approvals of the current version (two people make the emergency path). */
export const emergencyApprovals = (s: Statement) =>
  s.reviews.filter((r) => r.verdict === 'emergency_approve' && r.version === s.version.n);

function ReviewForm({ s, step }: { s: Statement; step: ReturnType<typeof useStatementStep> }) {
  const { t } = useTranslation();
  const [comment, setComment] = useState('');
  const pending = step.isPending && step.variables?.step === 'reviews' ? step.variables.body.verdict : null;
  return (
    <Stack gap="xs" data-testid="statement-review-form">
      <Textarea
        label={t('statements.workflow.comment')}
        placeholder={t('statements.workflow.commentHint')}
        autosize
        minRows={2}
        value={comment}
        onChange={(e) => setComment(e.currentTarget.value)}
        data-testid="statement-review-comment"
      />
      <Group gap="xs" wrap="wrap">
        <Button
          color="teal"
          loading={pending === 'approve'}
          onClick={() => step.mutate({ step: 'reviews', body: { verdict: 'approve', comment } })}
          data-testid="statement-approve"
        >
          {t('statements.workflow.approve')}
        </Button>
        <Button
          color="orange"
          variant="light"
          disabled={comment.trim() === ''}
          loading={pending === 'request_changes'}
          onClick={() => step.mutate({ step: 'reviews', body: { verdict: 'request_changes', comment } })}
          data-testid="statement-request-changes"
        >
          {t('statements.workflow.requestChanges')}
        </Button>
      </Group>
      {s.reviewsRequired.length > 0 && (
        <Text size="xs" c="dimmed">
          {t('statements.workflow.needs', {
            reviews: s.reviewsRequired.map((r) => t(`statements.review.${r.review}`)).join(t('statements.listSep')),
          })}
        </Text>
      )}
    </Stack>
  );
}

function EmergencyPath({ s, step, mine }: { s: Statement; step: ReturnType<typeof useStatementStep>; mine: boolean }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const canReview = useCan('statement.review');
  const canPublish = useCan('statement.publish');
  const [reason, setReason] = useState('');
  const given = emergencyApprovals(s);
  const gaveOne = given.some((r) => r.reviewer.id === user.id);
  if (!canReview && !(canPublish && given.length >= 2)) return null;
  return (
    <Stack gap="xs" data-testid="statement-emergency">
      <Text size="sm" fw={600} c="red">
        {t('statements.workflow.emergencyTitle')}
      </Text>
      <Text size="xs" c="dimmed">
        {t('statements.workflow.emergencyHint', { n: given.length })}
        {given.length > 0 && ` (${given.map((r) => r.reviewer.name).join(t('statements.listSep'))})`}
      </Text>
      {canReview && !mine && !gaveOne && given.length < 2 && (
        <ConfirmButton
          color="red"
          variant="light"
          size="xs"
          style={{ alignSelf: 'flex-start' }}
          question={t('statements.workflow.emergencyQuestion')}
          loading={step.isPending && step.variables?.step === 'emergency-approve'}
          onConfirm={() => step.mutate({ step: 'emergency-approve', body: { comment: '' } })}
          testId="statement-emergency-approve"
        >
          {t('statements.workflow.emergencyApprove')}
        </ConfirmButton>
      )}
      {canPublish && given.length >= 2 && (
        <Group gap="xs" align="flex-end" wrap="wrap">
          <TextInput
            style={{ flex: 1, minWidth: 200 }}
            label={t('statements.workflow.emergencyReason')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            data-testid="statement-emergency-reason"
          />
          <Button
            color="red"
            disabled={reason.trim() === ''}
            loading={step.isPending && step.variables?.step === 'publish'}
            onClick={() =>
              step.mutate({ step: 'publish', body: { emergency: true, reason, acknowledgeFlags: s.flags.length > 0 } })
            }
            data-testid="statement-emergency-publish"
          >
            {t('statements.workflow.emergencyPublish')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function Withdraw({ step }: { step: ReturnType<typeof useStatementStep> }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  return (
    <Group gap="xs" align="flex-end" wrap="wrap">
      <TextInput
        style={{ flex: 1, minWidth: 200 }}
        label={t('statements.workflow.withdrawReason')}
        value={reason}
        onChange={(e) => setReason(e.currentTarget.value)}
        data-testid="statement-withdraw-reason"
      />
      <Button
        variant="default"
        color="gray"
        disabled={reason.trim() === ''}
        loading={step.isPending && step.variables?.step === 'withdraw'}
        onClick={() => step.mutate({ step: 'withdraw', body: { reason } })}
        data-testid="statement-withdraw"
      >
        {t('statements.workflow.withdraw')}
      </Button>
    </Group>
  );
}

export function WorkflowCard({ s }: { s: Statement }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const canDraft = useCan('statement.draft');
  const canReview = useCan('statement.review');
  const canPublish = useCan('statement.publish');
  const step = useStatementStep(s.id);
  const [acknowledge, setAcknowledge] = useState(false);
  const mine = s.version.author.id === user.id;
  const open = s.state === 'draft' || s.state === 'in_review';
  const done = s.state === 'published' || s.state === 'withdrawn';
  if (done || !(canDraft || canReview || canPublish)) return null;
  return (
    <Card withBorder radius="md" data-testid="statement-workflow">
      <Stack gap="sm">
        <Title order={5}>{t('statements.workflow.title')}</Title>
        {s.state === 'draft' && canDraft && (
          <Group gap="xs" wrap="wrap">
            <Button
              loading={step.isPending && step.variables?.step === 'submit'}
              onClick={() => step.mutate({ step: 'submit' })}
              data-testid="statement-submit"
            >
              {t('statements.workflow.submit')}
            </Button>
            <Text size="xs" c="dimmed">
              {t('statements.workflow.submitHint')}
            </Text>
          </Group>
        )}
        {s.state === 'in_review' &&
          canReview &&
          (mine ? (
            <Alert color="gray" variant="light" data-testid="statement-own-version">
              {t('statements.workflow.ownVersion')}
            </Alert>
          ) : (
            <ReviewForm s={s} step={step} />
          ))}
        {s.state === 'in_review' && !canReview && (
          <Text size="sm" c="dimmed">
            {t('statements.workflow.waiting')}
          </Text>
        )}
        {s.state === 'approved' && canPublish && (
          <Stack gap="xs">
            {s.flags.length > 0 && (
              <Checkbox
                color="red"
                label={t('statements.workflow.acknowledge')}
                checked={acknowledge}
                onChange={(e) => setAcknowledge(e.currentTarget.checked)}
                data-testid="statement-acknowledge"
              />
            )}
            <ConfirmButton
              color="green"
              style={{ alignSelf: 'flex-start' }}
              disabled={s.flags.length > 0 && !acknowledge}
              question={t('statements.workflow.publishQuestion')}
              loading={step.isPending && step.variables?.step === 'publish'}
              onConfirm={() => step.mutate({ step: 'publish', body: { acknowledgeFlags: acknowledge } })}
              testId="statement-publish"
            >
              {t('statements.workflow.publish')}
            </ConfirmButton>
          </Stack>
        )}
        {s.state === 'approved' && !canPublish && (
          <Text size="sm" c="dimmed">
            {t('statements.workflow.waitingPublish')}
          </Text>
        )}
        {open && <EmergencyPath s={s} step={step} mine={mine} />}
        <ProblemAlert error={step.error} />
        {canDraft && <Withdraw step={step} />}
      </Stack>
    </Card>
  );
}

/** The text of a page, in the recipient's language (zh-CN or English). */
import type { ChannelMessage } from '../connector/index.js';
import type { EscalationStep } from '../oncall/index.js';

export interface PageFacts {
  incidentKey: string;
  /** The incident's title in each language (detection's), or as a person wrote it. */
  title: { 'zh-CN': string; en: string };
  reason: string;
  policyName: string;
  step: Pick<EscalationStep, 'level' | 'round'>;
}

export function pageMessage(facts: PageFacts, language: 'zh-CN' | 'en', to: string, ackUrl: string): ChannelMessage {
  const title = facts.title[language];
  const level = facts.step.level + 1;
  const round = facts.step.round + 1;
  if (language === 'zh-CN') {
    return {
      to,
      language,
      subject: `【Tocsin 呼叫】${facts.incidentKey} ${title}`,
      text: [
        `您正在值班，事件 ${facts.incidentKey}「${title}」需要您处理。`,
        `原因：${facts.reason}`,
        `升级策略：${facts.policyName}（第 ${level} 级，第 ${round} 轮）。无人确认时将升级到下一级。`,
      ].join('\n'),
      ackUrl,
      incidentKey: facts.incidentKey,
    };
  }
  return {
    to,
    language,
    subject: `[Tocsin page] ${facts.incidentKey} ${title}`,
    text: [
      `You are on call: incident ${facts.incidentKey} "${title}" needs you.`,
      `Reason: ${facts.reason}`,
      `Escalation policy: ${facts.policyName} (level ${level}, round ${round}). Unacknowledged, it escalates to the next level.`,
    ].join('\n'),
    ackUrl,
    incidentKey: facts.incidentKey,
  };
}

// The words of every email leadrelay sends, so their content is tested without SMTP.
import type { LeadSubmission } from './lead';
import type { Qualification } from './qualification';
import type { StageKind } from './routing';

export interface EmailContent {
  subject: string;
  text: string;
}

export interface OfferContext {
  leadId: string;
  lead: LeadSubmission;
  qualification: Qualification;
  offerNumber: number;
  stageKind: StageKind;
  level: number;
  deadline: string;
  whyYou: string;
  apiUrl: string;
}

export function composeOfferEmail(ctx: OfferContext): EmailContent {
  const { lead, qualification: q } = ctx;
  const who = `${lead.name}${lead.company ? ` (${lead.company})` : ''}`;
  const headline = ctx.stageKind === 'escalation' ? `Escalated lead (level ${ctx.level})` : 'New lead';
  // By code point, so an excerpt never ends in half an emoji.
  const chars = Array.from(lead.message);
  const excerpt = chars.length > 600 ? `${chars.slice(0, 600).join('')}…` : lead.message;
  const accept = `${ctx.apiUrl}/v1/leads/${ctx.leadId}/accept`;
  return {
    subject: `${headline}: ${who} — tier ${q.tier}, answer by ${ctx.deadline}`,
    text: [
      `${headline} for you: ${who} <${lead.email}>${lead.phone ? `, ${lead.phone}` : ''}, via ${lead.source}.`,
      '',
      `Score ${q.score} (tier ${q.tier}), urgency ${q.urgency}, service line ${q.serviceLine}.`,
      ...q.parts.map((part) => `  +${part.points} ${part.reason}`),
      '',
      `Why you: ${ctx.whyYou}`,
      '',
      'Message:',
      excerpt || '(no message)',
      '',
      `Answer by ${ctx.deadline}, or the lead moves on.`,
      `Accept:  POST ${accept} {"offerNumber": ${ctx.offerNumber}, "repId": "<your rep id>"}`,
      `Decline: POST ${ctx.apiUrl}/v1/leads/${ctx.leadId}/decline {"offerNumber": ${ctx.offerNumber}, "repId": "<your rep id>", "reason": "…"}`,
      '',
      `Lead ${ctx.leadId}, offer ${ctx.offerNumber}.`,
    ].join('\n'),
  };
}

export function composeCatchAllAlert(ctx: { leadId: string; lead: LeadSubmission; round: number; claimants: string[]; history: string[]; apiUrl: string }): EmailContent {
  const who = `${ctx.lead.name}${ctx.lead.company ? ` (${ctx.lead.company})` : ''}`;
  return {
    subject: `ALERT: nobody owns lead ${who} — catch-all queue${ctx.round > 1 ? `, reminder ${ctx.round}` : ''}`,
    text: [
      `Every candidate and the whole escalation chain let lead ${ctx.leadId} (${who} <${ctx.lead.email}>) pass.`,
      `It waits in the catch-all queue. Any of ${ctx.claimants.join(', ')} can claim it:`,
      `  POST ${ctx.apiUrl}/v1/leads/${ctx.leadId}/accept with the current offer number from GET ${ctx.apiUrl}/v1/leads/${ctx.leadId}`,
      '',
      'History:',
      ...ctx.history.map((line) => `  - ${line}`),
    ].join('\n'),
  };
}

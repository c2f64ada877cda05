// A first, deliberately simple qualification: transparent keyword rules whose every point carries its reason.
import type { LeadSubmission } from './lead';

export const serviceLines = ['cloud-migration', 'data-analytics', 'cybersecurity', 'managed-it', 'support', 'other'] as const;
export type ServiceLine = (typeof serviceLines)[number];
export type Urgency = 'now' | 'this-week' | 'this-month' | 'none';
export type Tier = 'A' | 'B' | 'C';

export interface ScorePart {
  points: number;
  reason: string;
}

export interface Qualification {
  score: number;
  tier: Tier;
  urgency: Urgency;
  serviceLine: ServiceLine;
  spam: boolean;
  parts: ScorePart[];
  /** Why the lead was thrown out; present only when spam is true. */
  spamReason?: string;
}

const serviceLineCues: Array<[Exclude<ServiceLine, 'other'>, RegExp]> = [
  ['support', /\b(outage|is down|not working|broken|ticket|our (contract|account)|existing customer|support)\b/],
  ['cybersecurity', /\b(security|pen ?test|penetration|ransomware|soc ?2|iso ?27001|phishing|breach|firewall)\b/],
  ['cloud-migration', /\b(cloud|aws|azure|gcp|migrat\w*|data ?cent(er|re)|kubernetes|lift and shift)\b/],
  ['data-analytics', /\b(analytics|dashboards?|data warehouse|bi\b|power ?bi|tableau|reporting|etl|snowflake)\b/],
  ['managed-it', /\b(managed (it|services)|helpdesk|help desk|laptops?|devices|office 365|m365|it team|msp)\b/],
];

const urgencyCues: Array<[Exclude<Urgency, 'none'>, RegExp, number]> = [
  ['now', /\b(asap|urgent\w*|immediately|today|right away|emergency)\b/, 35],
  ['this-week', /\b(this week|by (monday|tuesday|wednesday|thursday|friday)|within days)\b/, 25],
  ['this-month', /\b(this month|next few weeks|within (a|one) month|next month)\b/, 15],
];

const spamCues = /\b(seo (services|agency)|backlinks?|guest post|casino|crypto ?currency investment|viagra|rank (#|number )?1 on google|web traffic offer)\b/;
const freeMailDomains = new Set(['gmail.com', 'googlemail.com', 'yahoo.com', 'hotmail.com', 'outlook.com', 'live.com', 'icloud.com', 'aol.com', 'proton.me', 'protonmail.com', 'gmx.de', 'web.de']);

export function qualifyLead(lead: LeadSubmission): Qualification {
  // Intent is read from what the person wrote; a company called "Emergency Plumbing" is not urgent.
  const text = lead.message.toLowerCase();
  const domain = lead.email.split('@')[1]?.toLowerCase() ?? '';

  const spamMatch = spamCues.exec(`${text} ${lead.company ?? ''}`.toLowerCase());
  if (spamMatch) {
    return { score: 0, tier: 'C', urgency: 'none', serviceLine: 'other', spam: true, parts: [], spamReason: `sales spam: "${spamMatch[0]}"` };
  }

  const parts: ScorePart[] = [];
  const serviceLine = serviceLineCues.find(([, cue]) => cue.test(text))?.[0] ?? 'other';
  if (serviceLine !== 'other') parts.push({ points: 15, reason: `asks about ${serviceLine}` });

  const urgencyCue = urgencyCues.find(([, cue]) => cue.test(text));
  const urgency: Urgency = urgencyCue?.[0] ?? 'none';
  if (urgencyCue) parts.push({ points: urgencyCue[2], reason: `urgency ${urgency}` });

  if (lead.company) parts.push({ points: 15, reason: 'names a company' });
  if (domain && !freeMailDomains.has(domain)) parts.push({ points: 20, reason: `business email domain ${domain}` });
  if (lead.phone) parts.push({ points: 5, reason: 'left a phone number' });
  if (lead.message.trim().length >= 80) parts.push({ points: 10, reason: 'detailed message' });

  const score = Math.min(100, parts.reduce((sum, part) => sum + part.points, 0));
  return { score, tier: tierFor(score), urgency, serviceLine, spam: false, parts };
}

export function tierFor(score: number): Tier {
  if (score >= 70) return 'A';
  if (score >= 40) return 'B';
  return 'C';
}

// The workflow's hands: Postgres and SMTP. Every activity is idempotent, keyed by lead id and offer number.
import type { Pool } from 'pg';
import { ApplicationFailure } from '@temporalio/common';
import { normaliseEmail, type KnownContact, type LeadStatus, type LeadWorkflowInput } from '../src/lead';
import { qualifyLead as qualify, type Qualification } from '../src/qualification';
import { describeRouting, planRouting, type OfferStage, type RoutingPlan } from '../src/routing';
import { composeCatchAllAlert, composeOfferEmail } from '../src/notifications';
import { loadDirectory } from './directory';
import { sendOnce, type Mailer } from './mail';
import { withTransaction } from './postgres';

export interface ActivityDeps {
  db: Pool;
  mailer: Mailer;
  mailFrom: string;
  /** Where reps reach the API; printed in emails. */
  apiUrl: string;
}

export interface Decision {
  leadId: string;
  /** Unique per lead, chosen by the workflow: `routed`, `offer:2:declined`, … */
  key: string;
  kind: string;
  summary: string;
  detail?: unknown;
  at: string;
}

export interface LeadProgress {
  leadId: string;
  status: LeadStatus;
  escalationLevel: number;
  slaDeadline: string | null;
  offeredRepIds: string[];
}

export interface OpenOfferInput {
  leadId: string;
  input: LeadWorkflowInput;
  qualification: Qualification;
  offerNumber: number;
  stage: OfferStage;
  offeredAt: string;
  deadline: string;
  whyYou: string;
}

export function createActivities({ db, mailer, mailFrom, apiUrl }: ActivityDeps) {
  async function recordDecision(d: Decision): Promise<void> {
    await db.query(
      `INSERT INTO lead_decisions (lead_id, key, kind, summary, detail, decided_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (lead_id, key) DO NOTHING`,
      [d.leadId, d.key, d.kind, d.summary, JSON.stringify(d.detail ?? {}), d.at],
    );
  }

  async function recordProgress(p: LeadProgress): Promise<void> {
    await db.query(
      `UPDATE leads SET status = $2, escalation_level = $3, sla_deadline = $4, offered_rep_ids = $5, updated_at = now() WHERE id = $1`,
      [p.leadId, p.status, p.escalationLevel, p.slaDeadline, p.offeredRepIds],
    );
  }

  return {
    recordDecision,
    recordProgress,

    async recordLead({ leadId, submission: s, receivedAt }: LeadWorkflowInput): Promise<void> {
      await db.query(
        `INSERT INTO leads (id, workflow_id, source, external_id, name, email, email_normalised, company, phone, message, received_at, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'received') ON CONFLICT (id) DO NOTHING`,
        [leadId, `lead:${leadId}`, s.source, s.externalId ?? null, s.name, s.email, normaliseEmail(s.email), s.company ?? null, s.phone ?? null, s.message, receivedAt],
      );
    },

    /** Dedupe: is this person already a contact, and who owns them? */
    async matchContact({ leadId, email }: { leadId: string; email: string }): Promise<KnownContact | null> {
      const { rows } = await db.query<{ id: string; owner_rep_id: string | null }>('SELECT id, owner_rep_id FROM contacts WHERE email_normalised = $1', [normaliseEmail(email)]);
      const contact = rows[0];
      if (!contact) return null;
      await db.query('UPDATE leads SET contact_id = $2 WHERE id = $1', [leadId, contact.id]);
      return { contactId: String(contact.id), ownerRepId: contact.owner_rep_id };
    },

    async qualifyLead({ leadId, input }: { leadId: string; input: LeadWorkflowInput }): Promise<Qualification> {
      const q = qualify(input.submission);
      await db.query('UPDATE leads SET score = $2, tier = $3, urgency = $4, service_line = $5 WHERE id = $1', [leadId, q.score, q.tier, q.urgency, q.serviceLine]);
      return q;
    },

    async routeLead({ leadId, qualification, knownOwnerRepId }: { leadId: string; qualification: Qualification; knownOwnerRepId: string | null }): Promise<RoutingPlan & { description: string }> {
      // A directory with no team for this lead throws RoutingError, and the activity retries: the lead stays
      // running, shows up past its SLA, and moves on once an operator fixes the directory.
      const plan = planRouting({ qualification, knownOwnerRepId, directory: await loadDirectory(db) });
      await db.query('UPDATE leads SET team_id = $2 WHERE id = $1', [leadId, plan.teamId]);
      return { ...plan, description: describeRouting(plan) };
    },

    /** Persists the offer and emails the offered rep (or, for escalations, the manager at that level). */
    async openOffer(o: OpenOfferInput): Promise<void> {
      await db.query(
        `INSERT INTO lead_offers (lead_id, offer_number, kind, level, rep_ids, offered_at, deadline) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (lead_id, offer_number) DO NOTHING`,
        [o.leadId, o.offerNumber, o.stage.kind, o.stage.level, o.stage.repIds, o.offeredAt, o.deadline],
      );
      if (o.stage.kind === 'catch-all') return;
      const repId = o.stage.repIds[0];
      const { rows } = await db.query<{ email: string }>('SELECT email FROM reps WHERE id = $1', [repId]);
      const rep = rows[0];
      if (!rep) throw ApplicationFailure.nonRetryable(`rep ${repId} is not in the directory`, 'UnknownRep');
      const content = composeOfferEmail({
        leadId: o.leadId,
        lead: o.input.submission,
        qualification: o.qualification,
        offerNumber: o.offerNumber,
        stageKind: o.stage.kind,
        level: o.stage.level,
        deadline: o.deadline,
        whyYou: o.whyYou,
        apiUrl,
      });
      await sendOnce(db, mailer, mailFrom, { leadId: o.leadId, offerNumber: o.offerNumber, kind: 'offer' }, rep.email, content);
    },

    async closeOffer({ leadId, offerNumber, status, answeredBy, reason, at }: { leadId: string; offerNumber: number; status: 'accepted' | 'declined' | 'timed-out'; answeredBy: string | null; reason: string | null; at: string }): Promise<void> {
      await db.query(`UPDATE lead_offers SET status = $3, answered_by = $4, reason = $5, closed_at = $6 WHERE lead_id = $1 AND offer_number = $2 AND status = 'open'`, [
        leadId,
        offerNumber,
        status,
        answeredBy,
        reason,
        at,
      ]);
    },

    /** The lead is owned: the lead row says so and the contact remembers its owner for the next dedupe. */
    async assignLead({ leadId, repId, input }: { leadId: string; repId: string; input: LeadWorkflowInput }): Promise<void> {
      const s = input.submission;
      await withTransaction(db, async (client) => {
        const { rows } = await client.query<{ id: string }>(
          `INSERT INTO contacts (email_normalised, name, company, owner_rep_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT (email_normalised) DO UPDATE SET owner_rep_id = $4, updated_at = now() RETURNING id`,
          [normaliseEmail(s.email), s.name, s.company ?? null, repId],
        );
        await client.query(`UPDATE leads SET status = 'assigned', owner_rep_id = $2, contact_id = $3, offered_rep_ids = '{}', updated_at = now() WHERE id = $1`, [leadId, repId, rows[0]?.id]);
      });
    },

    /** Chain exhausted: alert whoever watches the catch-all queue. One email per round. */
    async alertCatchAll({ leadId, input, offerNumber, round, alertEmail, claimants, history }: { leadId: string; input: LeadWorkflowInput; offerNumber: number; round: number; alertEmail: string; claimants: string[]; history: string[] }): Promise<void> {
      const content = composeCatchAllAlert({ leadId, lead: input.submission, round, claimants, history, apiUrl });
      await sendOnce(db, mailer, mailFrom, { leadId, offerNumber, kind: 'catch-all-alert' }, alertEmail, content);
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;

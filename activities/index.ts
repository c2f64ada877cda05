// The workflow's hands: Postgres and SMTP around the pure domain. Every activity is idempotent, keyed by lead id
// and offer number (or a key the workflow chooses), never by attempt.
import type { Pool, PoolClient } from 'pg';
import { ApplicationFailure } from '@temporalio/common';
import type { LeadClassifier } from '../src/classification/classifier';
import type { AsyncLeadClassifier } from '../workers/llm-classifier';
import { WebFormSchema } from '../src/intake/schemas';
import { normaliseWebForm } from '../src/intake/normalise';
import type { AnyLeadWorkflowInput, LeadStatus, MergedSubmission, NormalisedLead } from '../src/lead';
import type { LeadMatch } from '../src/matching/lead-match';
import {
  composeCatchAllAlert,
  composeEscalationEmail,
  composeOfferEmail,
  composeReminderEmail,
  type EmailLead,
  type LeadEventLine,
  type OfferEmailInput,
} from '../src/notifications';
import type { Rep } from '../src/directory-file';
import { qualifyClassified, type Qualification, type QualificationInput } from '../src/qualification';
import type { LedgerEntry } from '../src/routing/fairness-ledger';
import { describeRouting } from '../src/routing/explanation';
import { planRouting, RoutingError, type OfferStage, type RoutingPlan } from '../src/routing/plan';
import { loadDirectory, loadRepLoad, readRep } from '../db/directory';
import { sendOnce, type Mailer } from '../mail/mailer';
import { createMatcher } from '../db/contacts-and-accounts';
import { myOffersUrl, offerLinkUrls } from '../links/offer-links';
import { loadActivePolicy } from '../db/policies';
import { withTransaction } from '../db/pool';

export interface ActivityDeps {
  db: Pool;
  mailer: Mailer;
  mailFrom: string;
  /** Where reps reach the API and its pages; the base of every link in an email. */
  apiUrl: string;
  /** Signs the Accept/Decline links. Lives only in the worker's environment, never in workflow history. */
  linkSecret: string;
  /**
   * Trained once at worker start from the built-in corpus and the deployment's own examples; or the optional LLM
   * classifier (LEADRELAY_LLM_API_KEY), which falls back to the trained one when its endpoint fails.
   */
  classifier: LeadClassifier | AsyncLeadClassifier;
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
  input: AnyLeadWorkflowInput;
  qualification: Qualification;
  offerNumber: number;
  stage: OfferStage;
  offeredAt: string;
  deadline: string;
  whyYou: string;
}

export type MatchOutcome = LeadMatch & { summary: string };

/** Plans made before stages carried their reason (leads still running from then) get one from the stage itself. */
function whyYouFor(o: OpenOfferInput): string {
  if (typeof o.whyYou === 'string' && o.whyYou !== '') return o.whyYou;
  return o.stage.kind === 'escalation'
    ? `escalation level ${o.stage.level}: every earlier candidate declined or let the SLA pass`
    : 'you are the next candidate for this lead';
}
export type RoutedPlan = RoutingPlan & { description: string };

/** Leads started before intake normalisation carried the raw web-form submission; read it the same way now. */
export function leadFromInput(input: AnyLeadWorkflowInput): NormalisedLead {
  if ('lead' in input) return input.lead;
  const { source, externalId, name, email, company, phone, message } = input.submission;
  // Those submissions passed a looser phone rule ("ask for Bob"); an unreadable phone is dropped, never a retry loop.
  const parsed = WebFormSchema.safeParse({ name, email, company, phone, message });
  const form = parsed.success ? parsed.data : WebFormSchema.parse({ name, email, company, message });
  return { ...normaliseWebForm(form), source, externalId: externalId ?? null };
}

/** The timeline speaks of what happened to the lead; decisions carry the workflow's own names for its steps. */
function eventKindOf(d: Decision): string {
  const detail = (d.detail ?? {}) as { kind?: string; spam?: boolean };
  switch (d.kind) {
    case 'qualified':
      return detail.spam ? 'rejected-spam' : 'scored';
    case 'offered':
      return detail.kind === 'escalation' ? 'escalated' : detail.kind === 'catch-all' ? 'catch-all' : 'offered';
    default:
      return d.kind;
  }
}

export function createActivities({ db, mailer, mailFrom, apiUrl, linkSecret, classifier }: ActivityDeps) {
  const matcher = createMatcher(db);

  async function recordEvent(
    e: {
      leadId: string;
      key: string;
      kind: string;
      at: string;
      summary: string;
      offerNumber?: number | null;
      repId?: string | null;
      detail?: unknown;
    },
    on: Pool | PoolClient = db,
  ): Promise<void> {
    await on.query(
      `INSERT INTO lead_events (lead_id, key, kind, at, offer_number, rep_id, summary, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (lead_id, key) DO NOTHING`,
      [
        e.leadId,
        e.key,
        e.kind,
        e.at,
        e.offerNumber ?? null,
        e.repId ?? null,
        e.summary,
        JSON.stringify(e.detail ?? {}),
      ],
    );
  }

  async function recordDecision(d: Decision): Promise<void> {
    await withTransaction(db, async (tx) => {
      await tx.query(
        `INSERT INTO lead_decisions (lead_id, key, kind, summary, detail, decided_at) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (lead_id, key) DO NOTHING`,
        [d.leadId, d.key, d.kind, d.summary, JSON.stringify(d.detail ?? {}), d.at],
      );
      const detail = (d.detail ?? {}) as {
        offerNumber?: number;
        answeredBy?: string;
        repId?: string;
        repIds?: string[];
      };
      const repId = detail.answeredBy ?? detail.repId ?? (detail.repIds?.length === 1 ? detail.repIds[0] : null);
      await recordEvent(
        {
          leadId: d.leadId,
          key: d.key,
          kind: eventKindOf(d),
          at: d.at,
          offerNumber: detail.offerNumber,
          repId,
          summary: d.summary,
          detail: d.detail,
        },
        tx,
      );
    });
  }

  async function recordProgress(p: LeadProgress): Promise<void> {
    await db.query(
      `UPDATE leads SET status = $2, escalation_level = $3, sla_deadline = $4, offered_rep_ids = $5, updated_at = now() WHERE id = $1`,
      [p.leadId, p.status, p.escalationLevel, p.slaDeadline, p.offeredRepIds],
    );
  }

  async function leadHistory(leadId: string): Promise<LeadEventLine[]> {
    const { rows } = await db.query<{ at: Date; kind: string; summary: string }>(
      'SELECT at, kind, summary FROM lead_events WHERE lead_id = $1 ORDER BY at, seq',
      [leadId],
    );
    return rows.map((r) => ({ at: r.at.toISOString(), kind: r.kind, summary: r.summary }));
  }

  async function offeredRep(repId: string) {
    const stored = await readRep(db, repId);
    if (!stored) throw ApplicationFailure.nonRetryable(`rep ${repId} is not in the directory`, 'UnknownRep');
    return stored.rep;
  }

  /** What the offer, reminder and escalation emails to the offered rep share, with that rep's signed links. */
  async function offerEmail(o: OpenOfferInput): Promise<{ offer: OfferEmailInput; rep: Rep }> {
    const repId = o.stage.repIds[0] as string;
    const rep = await offeredRep(repId);
    const offer: OfferEmailInput = {
      leadId: o.leadId,
      offerNumber: o.offerNumber,
      lead: emailLead(leadFromInput(o.input)),
      qualification: o.qualification,
      stageKind: o.stage.kind,
      level: o.stage.level,
      deadline: o.deadline,
      whyYou: whyYouFor(o),
      rep: { name: rep.name, timeZone: rep.timeZone },
      links: offerLinkUrls({
        apiUrl,
        secret: linkSecret,
        leadId: o.leadId,
        offerNumber: o.offerNumber,
        repId,
        expiresAt: o.deadline,
      }),
    };
    return { offer, rep };
  }

  function emailLead(lead: NormalisedLead): EmailLead {
    return {
      name: lead.name,
      email: lead.email,
      phone: lead.phone,
      company: lead.company,
      source: lead.source,
      text: lead.text,
    };
  }

  return {
    recordDecision,
    recordProgress,

    async recordLead(input: AnyLeadWorkflowInput): Promise<void> {
      const lead = leadFromInput(input);
      await db.query(
        `INSERT INTO leads (id, workflow_id, source, external_id, name, email, email_normalised, company, phone, message, received_at, status,
                            company_domain, country, region, time_zone, normalised)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'received', $12, $13, $14, $15, $16) ON CONFLICT (id) DO NOTHING`,
        [
          input.leadId,
          `lead:${input.leadId}`,
          lead.source,
          lead.externalId,
          lead.name,
          lead.email,
          lead.emailKey,
          lead.company,
          lead.phone,
          lead.text,
          input.receivedAt,
          lead.companyDomain,
          lead.country,
          lead.region,
          lead.timeZone,
          JSON.stringify(lead),
        ],
      );
      const extracted = lead.extracted.length ? `; from the text: ${lead.extracted.join(', ')}` : '';
      await recordEvent({
        leadId: input.leadId,
        key: 'received',
        kind: 'received',
        at: input.receivedAt,
        summary: `received via ${lead.source}${extracted}`,
        detail: { source: lead.source },
      });
    },

    /** A later submission from the same person: fills what the first one left out and joins the timeline. */
    async recordMergedSubmission({
      leadId,
      submission,
    }: {
      leadId: string;
      submission: MergedSubmission;
    }): Promise<void> {
      const l = submission.lead;
      await db.query(
        `UPDATE leads SET name = COALESCE(name, $2), email = COALESCE(email, $3), email_normalised = COALESCE(email_normalised, $4),
                company = COALESCE(company, $5), phone = COALESCE(phone, $6), company_domain = COALESCE(company_domain, $7),
                message = message || E'\n\n' || $8, updated_at = now()
          WHERE id = $1`,
        [
          leadId,
          l.name,
          l.email,
          l.emailKey,
          l.company,
          l.phone,
          l.companyDomain,
          `[${l.source} ${submission.receivedAt}]\n${l.text}`,
        ],
      );
      await recordEvent({
        leadId,
        key: `merged:${submission.submissionId}`,
        kind: 'merged',
        at: submission.receivedAt,
        summary: `${l.source} submission from the same person merged into this lead`,
        detail: { submissionId: submission.submissionId, source: l.source },
      });
    },

    /** Dedupe and lead-to-account matching: is this person or company known, and who owns them? */
    async matchContact({ leadId, input }: { leadId: string; input: AnyLeadWorkflowInput }): Promise<MatchOutcome> {
      const lead = leadFromInput(input);
      const match = await matcher.matchLead({
        emailKey: lead.emailKey,
        phone: lead.phone,
        companyDomain: lead.companyDomain,
        company: lead.company,
      });
      const summary = [
        match.contact?.reason ?? 'new contact: no known contact has this email or phone',
        match.account?.reason ?? 'no known account matches the company',
      ].join('; ');
      await db.query('UPDATE leads SET contact_id = $2, account_id = $3, match = $4 WHERE id = $1', [
        leadId,
        match.contact?.contactId ?? null,
        match.account?.accountId ?? null,
        JSON.stringify(match),
      ]);
      return { ...match, summary };
    },

    async qualifyLead({
      leadId,
      input,
      merged = [],
      match = null,
    }: {
      leadId: string;
      input: AnyLeadWorkflowInput;
      merged?: MergedSubmission[];
      match?: LeadMatch | null;
    }): Promise<Qualification> {
      const lead = leadFromInput(input);
      const others = merged.map((m) => m.lead);
      const facts: QualificationInput = {
        text: [lead.text, ...others.map((o) => o.text)].filter((t) => t.trim() !== '').join('\n\n'),
        receivedAt: input.receivedAt,
        timeZone: lead.timeZone,
        name: lead.name ?? others.find((o) => o.name)?.name ?? null,
        email: lead.email ?? others.find((o) => o.email)?.email ?? null,
        company: lead.company ?? others.find((o) => o.company)?.company ?? null,
        companyDomain: lead.companyDomain ?? others.find((o) => o.companyDomain)?.companyDomain ?? null,
        freeMail: lead.freeMail,
        disposableEmail: lead.disposableEmail,
        phone: lead.phone ?? others.find((o) => o.phone)?.phone ?? null,
        companySize: lead.companySize ?? others.find((o) => o.companySize !== null)?.companySize ?? null,
        budget: lead.budget ?? others.find((o) => o.budget)?.budget ?? null,
        knownCustomer: Boolean(match?.contact?.ownerRepId ?? match?.account?.ownerRepId),
      };
      const q = qualifyClassified(
        facts,
        await classifier.classify({ text: facts.text, receivedAt: facts.receivedAt, timeZone: facts.timeZone ?? null }),
      );
      await db.query(
        'UPDATE leads SET score = $2, tier = $3, urgency = $4, service_line = $5, qualification = $6 WHERE id = $1',
        [leadId, q.score, q.tier, q.urgency, q.serviceLine, JSON.stringify(q)],
      );
      return q;
    },

    /**
     * Routes under the active policy. Decisions are serialised by one advisory lock so the fairness ledger moves
     * one lead at a time (a routing decision takes well under a millisecond), and stored per lead so a retried
     * activity returns the same plan instead of charging the round robin twice.
     */
    async routeLead({
      leadId,
      input,
      qualification,
      match,
      at,
    }: {
      leadId: string;
      input: AnyLeadWorkflowInput;
      qualification: Qualification;
      match: MatchOutcome | null;
      at?: string;
    }): Promise<RoutedPlan> {
      const lead = leadFromInput(input);
      const plan = await withTransaction(db, async (tx) => {
        await tx.query("SELECT pg_advisory_xact_lock(hashtext('leadrelay:routing'))");
        const stored = await tx.query<{ plan: RoutingPlan }>('SELECT plan FROM routing_decisions WHERE lead_id = $1', [
          leadId,
        ]);
        if (stored.rows[0]) return stored.rows[0].plan;

        const active = await loadActivePolicy(tx);
        // No policy, or one with no route for this lead, is an operator's to fix: the activity retries, the lead
        // stays running past its intake deadline where the stuck-lead queries find it, and moves on once fixed.
        if (!active)
          throw new RoutingError(
            'no-route',
            'no routing policy is active: upload and activate one (POST /v1/admin/policies)',
          );
        const ledgerRows = await tx.query<{ team_id: string; rep_id: string; entry: LedgerEntry }>(
          'SELECT team_id, rep_id, entry FROM routing_ledger',
        );
        const ledger: Record<string, Record<string, LedgerEntry>> = {};
        for (const row of ledgerRows.rows) (ledger[row.team_id] ??= {})[row.rep_id] = row.entry;

        const result = planRouting({
          policy: active.policy,
          policyVersion: active.version,
          lead: {
            region: lead.region,
            country: lead.country,
            serviceLine: qualification.serviceLine,
            urgency: qualification.urgency,
            tier: qualification.tier,
            source: lead.source,
            companySize: lead.companySize,
            contactOwnerRepId: match?.contact?.ownerRepId ?? null,
            accountOwnerRepId: match?.account?.ownerRepId ?? null,
          },
          directory: await loadDirectory(tx),
          load: await loadRepLoad(tx),
          ledger,
          // The workflow's clock: availability is judged at the moment the workflow routes, also on a test server.
          now: at ? new Date(at) : new Date(),
        });
        for (const change of result.ledgerChanges) {
          await tx.query(
            `INSERT INTO routing_ledger (team_id, rep_id, entry) VALUES ($1, $2, $3)
             ON CONFLICT (team_id, rep_id) DO UPDATE SET entry = EXCLUDED.entry, updated_at = now()`,
            [change.teamId, change.repId, JSON.stringify(change.entry)],
          );
        }
        await tx.query(
          'INSERT INTO routing_decisions (lead_id, policy_version, team_id, plan) VALUES ($1, $2, $3, $4)',
          [leadId, result.plan.policyVersion, result.plan.teamId, JSON.stringify(result.plan)],
        );
        await tx.query('UPDATE leads SET team_id = $2, policy_version = $3 WHERE id = $1', [
          leadId,
          result.plan.teamId,
          result.plan.policyVersion,
        ]);
        return result.plan;
      });
      return { ...plan, description: describeRouting(plan) };
    },

    /** Persists the offer and emails the offered rep; an escalation's email carries the lead's history. */
    async openOffer(o: OpenOfferInput): Promise<void> {
      await db.query(
        `INSERT INTO lead_offers (lead_id, offer_number, kind, level, rep_ids, offered_at, deadline) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (lead_id, offer_number) DO NOTHING`,
        [o.leadId, o.offerNumber, o.stage.kind, o.stage.level, o.stage.repIds, o.offeredAt, o.deadline],
      );
      if (o.stage.kind === 'catch-all') return;
      const { offer, rep } = await offerEmail(o);
      const withPage = {
        ...offer,
        myOffersUrl: myOffersUrl({
          apiUrl,
          secret: linkSecret,
          repId: rep.id,
          expiresAt: new Date(Date.parse(o.deadline) + 7 * 86_400_000),
        }),
      };
      const content =
        o.stage.kind === 'escalation'
          ? composeEscalationEmail({ ...withPage, history: await leadHistory(o.leadId) })
          : composeOfferEmail(withPage);
      await sendOnce(
        db,
        mailer,
        mailFrom,
        { leadId: o.leadId, offerNumber: o.offerNumber, kind: 'offer' },
        rep.email,
        content,
      );
    },

    /** Half the SLA gone without an answer: one reminder to the same rep, with the same links. */
    async remindOffer(o: OpenOfferInput & { remindedAt?: string }): Promise<void> {
      const { offer, rep } = await offerEmail(o);
      const remindedAt = o.remindedAt ?? new Date().toISOString();
      await sendOnce(
        db,
        mailer,
        mailFrom,
        { leadId: o.leadId, offerNumber: o.offerNumber, kind: 'reminder' },
        rep.email,
        composeReminderEmail({ ...offer, remindedAt }),
      );
      await recordEvent({
        leadId: o.leadId,
        key: `offer:${o.offerNumber}:reminded`,
        kind: 'reminded',
        at: remindedAt,
        offerNumber: o.offerNumber,
        repId: rep.id,
        summary: `reminded ${rep.id}: half of the SLA passed without an answer (deadline ${o.deadline})`,
      });
    },

    async closeOffer({
      leadId,
      offerNumber,
      status,
      answeredBy,
      reason,
      at,
    }: {
      leadId: string;
      offerNumber: number;
      status: 'accepted' | 'declined' | 'timed-out';
      answeredBy: string | null;
      reason: string | null;
      at: string;
    }): Promise<void> {
      await db.query(
        `UPDATE lead_offers SET status = $3, answered_by = $4, reason = $5, closed_at = $6 WHERE lead_id = $1 AND offer_number = $2 AND status = 'open'`,
        [leadId, offerNumber, status, answeredBy, reason, at],
      );
    },

    /**
     * The lead is owned: the lead row says so, the contact remembers its owner for the next dedupe, and an
     * account the lead surely belongs to (by contact or domain, or a near-certain name) gets an owner if it had none.
     */
    async assignLead({
      leadId,
      repId,
      input,
      match = null,
    }: {
      leadId: string;
      repId: string;
      input: AnyLeadWorkflowInput;
      match?: LeadMatch | null;
    }): Promise<void> {
      const lead = leadFromInput(input);
      const account =
        match?.account && (match.account.method !== 'name' || match.account.confidence >= 0.9) ? match.account : null;
      await withTransaction(db, async (tx) => {
        if (account)
          await tx.query(
            'UPDATE accounts SET owner_rep_id = $2, updated_at = now() WHERE id = $1 AND owner_rep_id IS NULL',
            [account.accountId, repId],
          );
        const known = match?.contact?.contactId ?? null;
        let contactId: string | null = known;
        if (known) {
          await tx.query(
            'UPDATE contacts SET owner_rep_id = $2, account_id = COALESCE(account_id, $3), updated_at = now() WHERE id = $1',
            [known, repId, account?.accountId ?? null],
          );
        } else if (lead.emailKey) {
          const { rows } = await tx.query<{ id: string }>(
            `INSERT INTO contacts (email_normalised, name, company, phone, owner_rep_id, account_id) VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (email_normalised) DO UPDATE SET owner_rep_id = $5, updated_at = now() RETURNING id`,
            [lead.emailKey, lead.name, lead.company, lead.phone, repId, account?.accountId ?? null],
          );
          contactId = rows[0]?.id ?? null;
        } else if (lead.phone) {
          const { rows } = await tx.query<{ id: string }>(
            'INSERT INTO contacts (name, company, phone, owner_rep_id, account_id) VALUES ($1, $2, $3, $4, $5) RETURNING id',
            [lead.name, lead.company, lead.phone, repId, account?.accountId ?? null],
          );
          contactId = rows[0]?.id ?? null;
        }
        await tx.query(
          `UPDATE leads SET status = 'assigned', owner_rep_id = $2, contact_id = $3, offered_rep_ids = '{}', updated_at = now() WHERE id = $1`,
          [leadId, repId, contactId],
        );
      });
    },

    /** Chain exhausted: alert whoever watches the catch-all queue, with a signed claim link per claimant. One email per round. */
    async alertCatchAll({
      leadId,
      input,
      offerNumber,
      round,
      alertEmail,
      claimants,
      history,
      deadline,
    }: {
      leadId: string;
      input: AnyLeadWorkflowInput;
      offerNumber: number;
      round: number;
      alertEmail: string;
      claimants: string[];
      history: string[];
      deadline?: string;
    }): Promise<void> {
      const expiresAt = deadline ?? new Date(Date.now() + 3_600_000).toISOString();
      const content = composeCatchAllAlert({
        leadId,
        lead: emailLead(leadFromInput(input)),
        round,
        claimants,
        history: history.length ? history : await leadHistory(leadId),
        apiUrl,
        claimLinks: claimants.map((repId) => ({
          repId,
          url: offerLinkUrls({ apiUrl, secret: linkSecret, leadId, offerNumber, repId, expiresAt }).accept,
        })),
      });
      await sendOnce(db, mailer, mailFrom, { leadId, offerNumber, kind: 'catch-all-alert' }, alertEmail, content);
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;

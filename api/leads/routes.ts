// Reading one lead: its state and its timeline of events.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { security } from '../openapi';
import type { RouteDeps } from '../route-deps';
import { correctLead, readCorrections } from './corrections';
import { tellFirstTouch } from '../lead-workflow';
import { readOutcomes, reportOutcome } from './outcomes';
import { readLead, readLeadTimeline } from './read-lead';
import {
  CorrectionBody,
  CorrectionListSchema,
  CorrectionSchema,
  LeadParams,
  LeadSchema,
  OutcomeBody,
  OutcomeListSchema,
  OutcomeSchema,
  readErrors,
  TimelineSchema,
} from './schemas';

export function leadRoutes(app: FastifyInstance, { client, db }: RouteDeps, done: (err?: Error) => void): void {
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get('/v1/leads/:id', {
    config: { access: { keys: ['leads:write', 'leads:read', 'partner'], reps: true } },
    schema: {
      tags: ['leads'],
      summary: 'A lead: status, owner, current offer, SLA deadline, escalation level, explanation, offers so far',
      description:
        "Admin keys and keys with `leads:read` read any lead. An intake or partner key reads only the leads its own submissions started or joined (the `Location` of its submission); any other lead is 404 to it, as one that does not exist. Reps read the leads they were offered or own; other reps get 403. The person's details, decline reasons and the explanation's words (which quote the company and email domain) are included for admin keys, keys with `leads:read`, and reps who were offered or own the lead; an intake or partner key gets the explanation's structure only (scores, tier, team, rule, candidates, why a rep was excluded).",
      security: security.either,
      params: LeadParams,
      response: { 200: LeadSchema, ...readErrors },
    },
    handler: async (request) => readLead({ client, db }, request.principal, request.params.id),
  });

  routes.get('/v1/leads/:id/timeline', {
    config: { access: { keys: ['leads:read'], reps: true } },
    schema: {
      tags: ['leads'],
      summary: 'What happened to a lead, in order',
      description:
        "The lead's events (received, matched, scored, routed, offered, reminded, declined, timed-out, escalated, accepted, …) ordered by time. For admin keys, keys with `leads:read`, and reps who were offered or own the lead.",
      security: security.either,
      params: LeadParams,
      response: { 200: TimelineSchema, ...readErrors },
    },
    handler: async (request) => readLeadTimeline({ client, db }, request.principal, request.params.id),
  });

  routes.post('/v1/leads/:id/corrections', {
    config: { access: { keys: ['admin'], reps: true } },
    schema: {
      tags: ['leads'],
      summary: "Correct the classifier's reading of a lead: service line, urgency or spam verdict",
      description:
        "For reps who were offered or own the lead, managers on its team's escalation chain, and admin keys. The correction is stored with what the classifier had said; corrected leads join the corpus the scheduled retraining learns from. Give at least one of serviceLine, urgency, spam; a bad field is named in the 400.",
      security: security.either,
      params: LeadParams,
      body: CorrectionBody,
      response: { 201: CorrectionSchema, 409: readErrors[404], ...readErrors },
    },
    handler: async (request, reply) => {
      const correction = await correctLead(db, request.principal, request.params.id, request.body);
      return reply.code(201).send(correction);
    },
  });

  routes.get('/v1/leads/:id/corrections', {
    config: { access: { keys: ['admin', 'leads:read'], reps: true } },
    schema: {
      tags: ['leads'],
      summary: "Corrections made to the classifier's reading of a lead, oldest first",
      security: security.either,
      params: LeadParams,
      response: { 200: CorrectionListSchema, ...readErrors },
    },
    handler: async (request) => readCorrections(db, request.principal, request.params.id),
  });

  routes.post('/v1/leads/:id/outcomes', {
    config: { access: { keys: ['outcomes:write'], reps: true } },
    schema: {
      tags: ['leads'],
      summary: 'Report what became of a lead: first touch, meeting booked, qualified, opportunity, won, lost',
      description:
        "For keys with `outcomes:write` (a CRM integration), admin keys, and the rep who owns the lead. The outcome is credited to the lead's owner and written to its timeline; best-fit routing learns from them. `externalId` (the CRM's id for the stage change; by default the event and instant) makes a retry harmless: the same report again is answered 200 with the stored outcome, a different one under the same id is 409. A lead nobody owns yet is 409; a bad field is named in the 400.",
      security: security.either,
      params: LeadParams,
      body: OutcomeBody,
      response: { 200: OutcomeSchema, 201: OutcomeSchema, 409: readErrors[404], ...readErrors },
    },
    handler: async (request, reply) => {
      const { created, outcome } = await reportOutcome(db, request.principal, request.params.id, request.body);
      // Any funnel event means the owner reached the person: the first-touch SLA, if the lead has one, is met. A
      // repeat is told again, as its first attempt may have stored the outcome and then failed to reach Temporal.
      if (outcome.event !== 'lost')
        await tellFirstTouch(client, outcome.leadId, { at: outcome.at, outcomeId: outcome.id });
      return reply.code(created ? 201 : 200).send(outcome);
    },
  });

  routes.get('/v1/leads/:id/outcomes', {
    config: { access: { keys: ['outcomes:write', 'leads:read'], reps: true } },
    schema: {
      tags: ['leads'],
      summary: 'Outcomes reported for a lead, in the order they happened',
      security: security.either,
      params: LeadParams,
      response: { 200: OutcomeListSchema, ...readErrors },
    },
    handler: async (request) => readOutcomes(db, request.principal, request.params.id),
  });

  done();
}

// The sales org every workflow test routes over: one cloud team of two reps, a manager, a head of sales.
import type { Directory } from '../../src/routing';

export const testDirectory: Directory = {
  teams: [
    {
      id: 'cloud',
      name: 'Cloud',
      serviceLines: ['cloud-migration', 'data-analytics'],
      isDefault: true,
      escalation: [
        { repId: 'mgr', slaMinutes: 15 },
        { repId: 'head', slaMinutes: 30 },
      ],
      alertEmail: 'sales-ops@leadrelay.test',
      catchAllRealertMinutes: 60,
    },
    { id: 'leadership', name: 'Leadership', serviceLines: [], isDefault: false, escalation: [], alertEmail: 'sales-ops@leadrelay.test', catchAllRealertMinutes: 60 },
  ],
  reps: [
    { id: 'ana', name: 'Ana', email: 'ana@leadrelay.test', teamId: 'cloud', active: true, away: false, openOffers: 0 },
    { id: 'ben', name: 'Ben', email: 'ben@leadrelay.test', teamId: 'cloud', active: true, away: false, openOffers: 0 },
    { id: 'cleo', name: 'Cleo', email: 'cleo@leadrelay.test', teamId: 'cloud', active: true, away: true, openOffers: 0 },
    { id: 'mgr', name: 'Mia Manager', email: 'mgr@leadrelay.test', teamId: 'leadership', active: true, away: false, openOffers: 0 },
    { id: 'head', name: 'Hal Head', email: 'head@leadrelay.test', teamId: 'leadership', active: true, away: false, openOffers: 0 },
  ],
};

/** A tier-A cloud lead: first offers carry the 5-minute SLA. */
export function hotLead(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Priya Shah',
    email: `priya.${Math.random().toString(36).slice(2, 8)}@acme-corp.example`,
    company: 'Acme Corp',
    message: 'We must migrate our data centre to AWS ASAP, can someone call me today?',
    source: 'web-form',
    ...overrides,
  };
}

// The sales org every workflow test routes over. Reps work around the clock unless a test is about working
// hours, so availability never depends on when the suite happens to run.
import type { DirectoryFileInput } from '../../src/directory-file';

const allWeek = {
  sun: '00:00-24:00',
  mon: '00:00-24:00',
  tue: '00:00-24:00',
  wed: '00:00-24:00',
  thu: '00:00-24:00',
  fri: '00:00-24:00',
  sat: '00:00-24:00',
};
const officeHours = {
  mon: '09:00-17:00',
  tue: '09:00-17:00',
  wed: '09:00-17:00',
  thu: '09:00-17:00',
  fri: '09:00-17:00',
};
const team = (id: string, name: string, escalation: Array<{ repId: string; slaMinutes: number }>) => ({
  id,
  name,
  escalation,
  alertEmail: 'sales-ops@leadrelay.test',
  catchAllRealertMinutes: 60,
});
const rep = (id: string, name: string, teamId: string, extra: Record<string, unknown> = {}) => ({
  id,
  name,
  email: `${id}@leadrelay.test`,
  teamId,
  workingHours: allWeek,
  ...extra,
});

export const testDirectory: DirectoryFileInput = {
  teams: [
    team('cloud', 'Cloud', [
      { repId: 'mgr', slaMinutes: 15 },
      { repId: 'head', slaMinutes: 30 },
    ]),
    // Partner leads, answered in London office hours.
    team('partners', 'Partners', [{ repId: 'mgr', slaMinutes: 15 }]),
    // German-speaking leads; Dora is out of office with Dieter as her backup.
    team('dach', 'DACH', [{ repId: 'mgr', slaMinutes: 15 }]),
    team('leadership', 'Leadership', []),
  ],
  reps: [
    rep('ana', 'Ana', 'cloud'),
    rep('ben', 'Ben', 'cloud'),
    rep('cleo', 'Cleo', 'cloud', { away: true }),
    rep('wendy', 'Wendy Weekday', 'partners', { timeZone: 'Europe/London', workingHours: officeHours }),
    rep('dora', 'Dora', 'dach', {
      outOfOffice: [{ from: '2000-01-01', until: '2099-12-31', backupRepId: 'dieter', note: 'sabbatical' }],
    }),
    rep('dieter', 'Dieter', 'leadership'),
    rep('mgr', 'Mia Manager', 'leadership'),
    rep('head', 'Hal Head', 'leadership'),
  ],
};

/** Hot leads get 5 minutes, warm an hour, cold four hours; UK partner leads one London business day. */
export const testPolicy = `
sla:
  - name: hot
    when: { tier: A }
    within: 5 minutes
  - name: warm
    when: { tier: B }
    within: 1 hour
  - name: cold
    within: 4 hours
rules:
  - name: UK partner leads
    when: { source: partner-api, country: GB }
    team: partners
    strategy: least-loaded
    sla: 1 business day
  - name: DACH
    when: { country: [DE, AT, CH] }
    team: dach
    strategy: least-loaded
default:
  team: cloud
  strategy: owner-first
  fallback: least-loaded
`;

/** A tier-A cloud lead from a new business address (no phone: a shared one would make it a known contact). */
export function hotLead(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Priya Shah',
    email: `priya.${Math.random().toString(36).slice(2, 8)}@acme-corp.example`,
    company: 'Acme Corp',
    companySize: 800,
    message:
      'We must migrate our data centre (120 VMs) to AWS ASAP; budget around $250k approved. Can someone call me today?',
    source: 'web-form',
    ...overrides,
  };
}

/** A vague question from a free-mail address: tier C, the slow SLA. */
export function coldLead(overrides: Record<string, unknown> = {}) {
  return {
    name: 'Sam',
    email: `sam.${Math.random().toString(36).slice(2, 8)}@gmail.com`,
    message: 'hi, do you do dashboards? just curious about prices at some point',
    source: 'web-form',
    ...overrides,
  };
}

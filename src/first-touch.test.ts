import { firstTouchManager, planFirstTouch } from './first-touch';
import { parsePolicy } from './policy/parse-policy';
import { lead, policyOf, rep } from './routing/test-fixtures';

const base = `sla:\n  - name: any\n    within: 5 minutes\ndefault:\n  team: cloud\n  strategy: weighted-round-robin\n`;
const london = rep('ben', 'cloud', {
  timeZone: 'Europe/London',
  workingHours: { mon: '09:00-17:00', tue: '09:00-17:00', wed: '09:00-17:00', thu: '09:00-17:00', fri: '09:00-17:00' },
});
const minute = 60_000;

test('without a firstTouch section there is no first-touch SLA', () => {
  expect(planFirstTouch(policyOf(base), lead(), london, Date.UTC(2026, 10, 27, 16, 30))).toBeNull();
});

test("a business-hours SLA counts the owner's working time: Friday 16:30 + 1 business hour is Monday 09:30", () => {
  const policy = policyOf(
    `${base}firstTouch:\n  sla:\n    - name: hot\n      when: { tier: A }\n      within: 1 business hour\n    - name: rest\n      within: 1 business day\n`,
  );
  const plan = planFirstTouch(policy, lead({ tier: 'A' }), london, Date.UTC(2026, 10, 27, 16, 30))!;
  expect(plan.name).toBe('hot');
  expect(plan.slaText).toBe('1 business hour (Europe/London)');
  expect(new Date(plan.dueAt).toISOString()).toBe('2026-11-30T09:30:00.000Z');
  expect(plan.steps.map((s) => [s.kind, new Date(s.at).toISOString()])).toEqual([
    ['nudge-owner', '2026-11-30T09:30:00.000Z'],
    ['tell-manager', '2026-11-30T10:30:00.000Z'],
    ['reoffer', '2026-11-30T11:30:00.000Z'],
  ]);
  expect(planFirstTouch(policy, lead({ tier: 'C' }), london, Date.UTC(2026, 10, 27, 16, 30))!.name).toBe('rest');
});

test('a wall-clock SLA steps by the clock; without reoffer the manager is the last step', () => {
  const policy = policyOf(`${base}firstTouch:\n  reoffer: false\n  sla:\n    - name: all\n      within: 30 minutes\n`);
  const at = Date.UTC(2026, 10, 28, 3, 0);
  expect(planFirstTouch(policy, lead(), london, at)!.steps).toEqual([
    { kind: 'nudge-owner', at: at + 30 * minute },
    { kind: 'tell-manager', at: at + 60 * minute },
  ]);
});

test('the last first-touch entry must match every lead, and the error says where', () => {
  const result = parsePolicy(
    `${base}firstTouch:\n  sla:\n    - name: hot\n      when: { tier: A }\n      within: 1 hour\n`,
  );
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.errors[0]).toMatchObject({ path: 'firstTouch.sla.0.when' });
});

describe('whom the first-touch notice goes to', () => {
  const team = (escalation: string[]) => ({
    id: 'cloud',
    name: 'Cloud',
    escalation: escalation.map((repId) => ({ repId, slaMinutes: 15 })),
    alertEmail: 'ops@example.com',
    catchAllRealertMinutes: 60,
  });
  const ana = rep('ana', 'cloud');
  const mgr = rep('mgr', 'leadership');
  const head = rep('head', 'leadership');

  test("the lead's team's first manager; for a manager who owns it, the level above them", () => {
    const directory = { teams: [team(['mgr', 'head'])], reps: [ana, mgr, head] };
    expect(firstTouchManager(directory, ana, 'cloud')).toMatchObject({ repId: 'mgr', email: 'mgr@leadrelay.test' });
    expect(firstTouchManager(directory, mgr, 'cloud')).toMatchObject({ repId: 'head' });
  });

  test("a deactivated manager is passed over; with nobody above, the team's alert address", () => {
    const directory = { teams: [team(['mgr', 'head'])], reps: [ana, { ...mgr, active: false }, head] };
    expect(firstTouchManager(directory, ana, 'cloud')).toMatchObject({ repId: 'head' });
    expect(firstTouchManager(directory, head, 'cloud')).toEqual({
      repId: null,
      name: 'Cloud',
      email: 'ops@example.com',
    });
  });
});

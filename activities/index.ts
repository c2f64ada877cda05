// The workflow's hands: Postgres and SMTP around the pure domain, one file per step of the process. Every activity
// takes ids and reads what it needs, and is idempotent, keyed by lead id and offer number, never by attempt.
import type { Pool } from 'pg';
import type { LeadClassifier } from '../src/classification/classifier';
import type { Mailer } from '../mail/mailer';
import type { AsyncLeadClassifier } from '../workers/llm-classifier';
import { createAssignActivities } from './assign';
import { createAttentionActivities } from './attention';
import { createFirstTouchActivities } from './first-touch';
import { createNotifications } from './notify';
import { createOfferActivities } from './offers';
import { createRecordActivities } from './record';
import { createRouteActivities } from './route';
import type { Clock } from './clock';

export interface ActivityDeps {
  db: Pool;
  mailer: Mailer;
  mailFrom: string;
  /** Where reps reach the API and its pages; the base of every link in an email. */
  apiUrl: string;
  /** Who is alerted about a lead that needs a person before any team was chosen for it. */
  opsEmail: string;
  /** Signs the Accept/Decline links. Lives only in the worker's environment, never in workflow history. */
  linkSecret: string;
  /**
   * Trained once at worker start from the built-in corpus and the deployment's own examples; or the optional LLM
   * classifier (LEADRELAY_LLM_API_KEY), which falls back to the trained one when its endpoint fails.
   */
  classifier: LeadClassifier | AsyncLeadClassifier;
  /**
   * When an email was taken by the mail server, as the workflow's timers count: the activity's own clock unless
   * given (the time-skipping test server's clock runs ahead of the wall clock, and tests pass it in).
   */
  clock?: Clock;
}

export function createActivities(deps: ActivityDeps) {
  const notify = createNotifications(deps);
  return {
    ...createRecordActivities(deps),
    ...createRouteActivities(deps),
    ...createOfferActivities(deps, notify),
    ...createAssignActivities(deps),
    ...createAttentionActivities(deps),
    ...createFirstTouchActivities(deps),
    alertCatchAll: notify.alertCatchAll,
  };
}

export type Activities = ReturnType<typeof createActivities>;

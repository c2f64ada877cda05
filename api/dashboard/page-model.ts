// What every dashboard page is made of: sections of charts (each with its CSV) and tables, read for one date range
// and the teams the reader may see.
import type { Pool } from 'pg';
import type { DayRange, TeamName, TeamScope } from '../../db/dashboard';
import type { Chart } from './charts';

export interface PageContext {
  db: Pool;
  range: DayRange;
  scope: TeamScope;
  /** The teams in scope, with their names. */
  teams: TeamName[];
  now: Date;
  /** Where a lead's dashboard page is, and where its workflow is in the Temporal Web UI (null: no UI configured). */
  leadPage: (leadId: string) => string;
  webUi: (workflowId: string) => string | null;
}

export interface Section {
  heading: string;
  /** One line above the charts: the section's headline figures. */
  summary?: string;
  charts: Chart[];
  /** Trusted HTML below the charts (tables built with esc()). */
  html?: string;
}

export interface DashboardPage {
  /** The URL segment: /dashboard/<slug>. */
  slug: string;
  title: string;
  load(ctx: PageContext): Promise<Section[]>;
}

export const teamLabel = (ctx: PageContext, teamId: string | null) =>
  teamId ? (ctx.teams.find((t) => t.id === teamId)?.name ?? teamId) : '(no team)';

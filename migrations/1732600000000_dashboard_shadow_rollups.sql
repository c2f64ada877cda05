-- Up Migration
-- The shadow beside live, rolled up per day like the rest of the dashboard (a shadow can decide every lead for weeks):
-- per live rule, how often the shadow agreed; per rep, first offers live and shadow. The day is the lead's.
CREATE TABLE dashboard_shadow_daily (
  day date NOT NULL,
  team_id text NOT NULL,
  shadow_version integer NOT NULL,
  live_rule text NOT NULL,
  decisions integer NOT NULL,
  same_team integer NOT NULL,
  same_first_rep integer NOT NULL,
  unroutable integer NOT NULL,
  PRIMARY KEY (day, team_id, shadow_version, live_rule)
);

CREATE TABLE dashboard_shadow_reps_daily (
  day date NOT NULL,
  team_id text NOT NULL,
  shadow_version integer NOT NULL,
  rep_id text NOT NULL,
  live_first_offers integer NOT NULL,
  shadow_first_offers integer NOT NULL,
  PRIMARY KEY (day, team_id, shadow_version, rep_id)
);

CREATE TRIGGER dashboard_shadow_inserted AFTER INSERT ON shadow_decisions
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION dashboard_mark_lead_rows();

INSERT INTO dashboard_changes (day)
SELECT DISTINCT (l.received_at AT TIME ZONE 'UTC')::date FROM shadow_decisions s JOIN leads l ON l.id = s.lead_id;

-- Down Migration
DROP TRIGGER dashboard_shadow_inserted ON shadow_decisions;
DROP TABLE dashboard_shadow_reps_daily;
DROP TABLE dashboard_shadow_daily;

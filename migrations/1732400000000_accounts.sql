-- Accounts (the companies leads belong to) and what matching looks contacts up by: phone, account.
-- Every lookup in activities/matching.ts is an index scan: contacts by email key (unique), by phone (btree);
-- accounts by domain (unique btree) and by company name: exact key (btree), fuzzy (GIN trigram, `%`, on the
-- distinctive words, or on the whole key for names made only of generic words).

-- Up Migration
-- Trusted since PostgreSQL 13: the database owner may create it without superuser rights.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE accounts (
  id bigserial PRIMARY KEY,
  name text NOT NULL CHECK (btrim(name) <> ''),
  -- companyNameKey(name) from src/matching/company-name.ts: written by the application, never computed here,
  -- so the key the matcher searches with and the key stored are produced by the same code.
  name_key text NOT NULL,
  -- distinctiveWords(name_key): the key without generic words ("zentrix" for "zentrix technologies"), '' if
  -- nothing is left. Fuzzy matching searches it: a generic word is shared by thousands of accounts, and
  -- searching the whole key would make each of them a candidate to recheck.
  name_core text NOT NULL,
  -- Registrable domain (acme.co.uk, never www.acme.co.uk or a free-mail provider), lowercase.
  domain text CHECK (domain = lower(domain) AND domain LIKE '%_._%'),
  owner_rep_id text REFERENCES reps (id),
  country text CHECK (country ~ '^[A-Z]{2}$'),
  employees integer CHECK (employees >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX accounts_domain ON accounts (domain) WHERE domain IS NOT NULL;
CREATE INDEX accounts_name_key ON accounts (name_key);
-- GIN, not GiST: on the benchmark's 200,000 accounts GiST answered `%` in 55-150 ms, GIN in 1-20 ms.
CREATE INDEX accounts_name_core_trgm ON accounts USING gin (name_core gin_trgm_ops);
CREATE INDEX accounts_name_key_trgm ON accounts USING gin (name_key gin_trgm_ops);
-- The planner estimates `%` by running it over the column's statistics (100 common values and 100 histogram
-- bounds by default), which was most of the planning time of the name search; the matcher pins that search
-- to its index anyway (activities/matching.ts), so a rough estimate serves as well.
ALTER TABLE accounts ALTER COLUMN name_core SET STATISTICS 10, ALTER COLUMN name_key SET STATISTICS 10;

ALTER TABLE contacts
  ADD COLUMN phone text CHECK (phone ~ '^\+[1-9][0-9]{5,14}$'),
  ADD COLUMN account_id bigint REFERENCES accounts (id);
-- Not unique: a switchboard number is shared by colleagues.
CREATE INDEX contacts_phone ON contacts (phone) WHERE phone IS NOT NULL;
-- Finds an account's contacts, and keeps deleting an account from scanning all contacts for references.
CREATE INDEX contacts_account_id ON contacts (account_id) WHERE account_id IS NOT NULL;

-- Down Migration
DROP INDEX contacts_account_id;
DROP INDEX contacts_phone;
ALTER TABLE contacts DROP COLUMN account_id, DROP COLUMN phone;
DROP TABLE accounts;
-- pg_trgm stays: other objects may have come to depend on it, and keeping it is harmless.

#!/bin/sh
# Temporal's persistence and SQL visibility on the stack's PostgreSQL: creates both databases and applies every
# versioned schema migration of this server version, as Temporal's own auto-setup does; safe to run on every start.
set -eu
export SQL_PASSWORD="$POSTGRES_PWD"
schema=/etc/temporal/schema/postgresql/v12
for pair in "$DBNAME:temporal" "$VISIBILITY_DBNAME:visibility"; do
  db=${pair%%:*}
  dir=${pair#*:}
  tool="temporal-sql-tool --plugin postgres12 --ep $POSTGRES_SEEDS -p $DB_PORT -u $POSTGRES_USER --db $db"
  # A database left by an earlier start is kept (a wrong password still fails below, on the schema).
  $tool create || echo "database $db is there already"
  $tool setup-schema -v 0.0
  $tool update-schema -d "$schema/$dir/versioned"
done

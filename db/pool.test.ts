// The pool's timeouts against a real Postgres: a slow statement is cancelled, a transaction left idle is ended, and
// waiting for a connection gives up; each with the setting that decides it. Prepared statements: one name, one text.
import { createPool, defaultPoolTimeouts, prepared, withTransaction } from './pool';
import { copyOfTemplateDatabase } from '../test/support/database';

let url: string;
beforeAll(async () => {
  url = await copyOfTemplateDatabase();
});

test('every connection carries the default timeouts', async () => {
  const db = createPool(url);
  try {
    const { rows } = await db.query<{ statement: string; idle: string }>(
      `SELECT current_setting('statement_timeout') AS statement, current_setting('idle_in_transaction_session_timeout') AS idle`,
    );
    expect(rows[0]).toEqual({
      statement: `${defaultPoolTimeouts.statementMs / 1000}s`,
      idle: `${defaultPoolTimeouts.idleInTransactionMs / 60_000}min`,
    });
  } finally {
    await db.end();
  }
});

test('a statement longer than statementMs is cancelled', async () => {
  const db = createPool(url, () => {}, { statementMs: 200 });
  try {
    await expect(db.query('SELECT pg_sleep(2)')).rejects.toThrow(/statement timeout/);
    expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  } finally {
    await db.end();
  }
});

test('a transaction left idle longer than idleInTransactionMs is ended, releasing its locks', async () => {
  const db = createPool(url, () => {}, { idleInTransactionMs: 200 });
  const client = await db.connect();
  client.on('error', () => {});
  try {
    await client.query('BEGIN');
    await client.query('SELECT 1');
    await new Promise((resolve) => setTimeout(resolve, 800));
    await expect(client.query('SELECT 1')).rejects.toThrow();
  } finally {
    client.release(true);
    await db.end();
  }
});

test('a transaction the server ends while its work awaits something else fails, and the process goes on', async () => {
  const db = createPool(url, () => {}, { idleInTransactionMs: 200 });
  try {
    const outcome = withTransaction(db, async (tx) => {
      await tx.query('SELECT 1');
      // As an SMTP server that stops answering: no statement for longer than the session may idle.
      await new Promise((resolve) => setTimeout(resolve, 800));
      await tx.query('SELECT 1');
    });
    await expect(outcome).rejects.toThrow(/^Postgres ended the transaction: /);
    expect((await db.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  } finally {
    await db.end();
  }
});

test('waiting longer than connectMs for a pooled connection gives up', async () => {
  const db = createPool(url, () => {}, { connectMs: 300 });
  const held = await Promise.all(Array.from({ length: 10 }, () => db.connect()));
  try {
    await expect(db.connect()).rejects.toThrow(/timeout/i);
  } finally {
    for (const c of held) c.release();
    await db.end();
  }
});

test('a prepared statement runs on every pooled connection, and a name declared again with other text is refused', async () => {
  const doubled = prepared('pool-test.double', 'SELECT $1::int * 2 AS doubled');
  expect(prepared('pool-test.double', 'SELECT $1::int * 2 AS doubled')).toBeInstanceOf(Function);
  expect(() => prepared('pool-test.double', 'SELECT $1::int * 3 AS doubled')).toThrow(
    'prepared statement pool-test.double is declared twice with different text',
  );
  const db = createPool(url);
  try {
    // More at once than one connection: each connection prepares it on first use.
    const results = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => db.query(doubled([n]))));
    expect(results.map((r) => (r.rows[0] as { doubled: number }).doubled)).toEqual([2, 4, 6, 8, 10, 12]);
  } finally {
    await db.end();
  }
});

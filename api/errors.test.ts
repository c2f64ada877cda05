// Which failures are outages (503, retry) rather than bugs (500): Temporal and PostgreSQL going away as their
// clients report it, however deep in the cause chain.
import { unavailableDependency } from './errors';

test('Temporal unavailable or past its deadline, PostgreSQL shut down, refusing or dropping the connection: 503', () => {
  const grpc = (code: number) => Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code });
  expect(unavailableDependency(grpc(14))).toBe('Temporal');
  expect(unavailableDependency(new Error('start failed', { cause: grpc(4) }))).toBe('Temporal');
  const pg = (code: string, message: string) => Object.assign(new Error(message), { code });
  expect(unavailableDependency(pg('57P01', 'terminating connection due to administrator command'))).toBe('PostgreSQL');
  expect(unavailableDependency(pg('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'))).toBe('PostgreSQL');
  // As withTransaction reports a session the server ended mid-transaction.
  const ended = new Error('Postgres ended the transaction: terminating connection due to administrator command', {
    cause: new Error('Client has encountered a connection error and is not queryable'),
  });
  expect(unavailableDependency(ended)).toBe('PostgreSQL');
});

test('anything else is not an outage: a bug stays a 500', () => {
  expect(unavailableDependency(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBeNull();
  expect(unavailableDependency(Object.assign(new Error('duplicate key'), { code: '23505' }))).toBeNull();
  expect(unavailableDependency(Object.assign(new Error('NOT_FOUND'), { code: 5 }))).toBeNull();
  expect(unavailableDependency(undefined)).toBeNull();
});

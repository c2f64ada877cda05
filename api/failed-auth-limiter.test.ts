// The failed-authentication limit: a burst of failures per address, given back over time; other addresses untouched.
import { clientKey, FailedAuthLimiter } from './failed-auth-limiter';

function limiter(limits: { burst: number; perMinute: number; maxAddresses?: number }) {
  let now = 0;
  const l = new FailedAuthLimiter(limits, () => now);
  return { l, advance: (ms: number) => (now += ms) };
}

test('an address may fail `burst` times; then it waits until one failure is given back', () => {
  const { l, advance } = limiter({ burst: 3, perMinute: 6 });
  for (let i = 0; i < 3; i++) {
    expect(l.retryAfter('10.0.0.1')).toBe(0);
    l.failed('10.0.0.1');
  }
  // Six a minute: one back every 10 s.
  expect(l.retryAfter('10.0.0.1')).toBe(10);
  expect(l.retryAfter('10.0.0.2')).toBe(0);
  advance(4_000);
  expect(l.retryAfter('10.0.0.1')).toBe(6);
  advance(6_000);
  expect(l.retryAfter('10.0.0.1')).toBe(0);
  l.failed('10.0.0.1');
  expect(l.retryAfter('10.0.0.1')).toBe(10);
  // After a quiet spell the whole burst is back.
  advance(60_000);
  for (let i = 0; i < 3; i++) l.failed('10.0.0.1');
  expect(l.retryAfter('10.0.0.1')).toBeGreaterThan(0);
});

test('the map is bounded: the address that failed least recently is forgotten first', () => {
  const { l } = limiter({ burst: 1, perMinute: 1, maxAddresses: 2 });
  l.failed('10.0.0.1');
  l.failed('10.0.0.2');
  l.failed('10.0.0.3');
  expect(['10.0.0.1', '10.0.0.2', '10.0.0.3'].map((a) => l.retryAfter(a) > 0)).toEqual([false, true, true]);
});

test('IPv6 addresses are counted by their /64; IPv4-mapped ones as IPv4', () => {
  expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
  expect(clientKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
  expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
  expect(clientKey('::1')).toBe('0:0:0:0::/64');
  expect(clientKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
  expect(clientKey('192.0.2.7')).toBe('192.0.2.7');
  const { l } = limiter({ burst: 1, perMinute: 1 });
  l.failed('2001:db8:1:2::1');
  expect(l.retryAfter('2001:db8:1:2::99')).toBeGreaterThan(0);
  expect(l.retryAfter('2001:db8:1:3::1')).toBe(0);
});

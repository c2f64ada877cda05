// The request log never carries a link token or a token in the query.
import { redactUrl } from './request-log';

const token = 'eyJ2IjoxLCJhIjoiYWNjZXB0In0.c2lnbmF0dXJlLWJ5dGVzLWhlcmUtMzItYnl0ZXMtbG9uZw';

test.each([
  [`/links/${token}`, '/links/[redacted]'],
  [`/links/${token}?x=1`, '/links/[redacted]?x=1'],
  [`/me/offers?token=${token}`, '/me/offers?token=[redacted]'],
  [`/me/offers?a=1&token=${token}&b=2`, '/me/offers?a=1&token=[redacted]&b=2'],
  [`/me/offers?TOKEN=${token}`, '/me/offers?TOKEN=[redacted]'],
  [`/me/offers?%74oken=${token}`, '/me/offers?%74oken=[redacted]'],
  ['/v1/leads/0123456789abcdef01234567', '/v1/leads/0123456789abcdef01234567'],
  ['/v1/admin/reps?active=true', '/v1/admin/reps?active=true'],
])('%s is logged as %s', (url, logged) => {
  expect(redactUrl(url)).toBe(logged);
  expect(redactUrl(url)).not.toContain(token);
});

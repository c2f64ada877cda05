// The intake boundary: what an intake system may send, and how a refusal names the field at fault.
import { LeadSubmissionSchema } from './lead-submission';
import { normaliseEmail } from './lead';

const valid = { name: 'Priya Shah', email: 'priya@acme.example', source: 'web-form' };

function issuesFor(input: unknown) {
  const result = LeadSubmissionSchema.safeParse(input);
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return result.error.issues;
}

describe('LeadSubmissionSchema', () => {
  test('a valid submission parses, trimmed, with an empty message by default', () => {
    const parsed = LeadSubmissionSchema.parse({
      name: '  Priya Shah ',
      email: ' priya@acme.example ',
      company: ' Acme Corp ',
      phone: ' +44 20 7946 0000 ',
      source: 'chat',
      externalId: ' crm-42 ',
    });
    expect(parsed).toEqual({
      name: 'Priya Shah',
      email: 'priya@acme.example',
      company: 'Acme Corp',
      phone: '+44 20 7946 0000',
      message: '',
      source: 'chat',
      externalId: 'crm-42',
    });
  });

  test('every documented source is accepted', () => {
    for (const source of ['web-form', 'chat', 'partner-api']) {
      expect(LeadSubmissionSchema.parse({ ...valid, source }).source).toBe(source);
    }
  });

  test('the message is kept as written', () => {
    expect(LeadSubmissionSchema.parse({ ...valid, message: '  call me\n' }).message).toBe('  call me\n');
  });

  test('unknown fields are refused, and the issue names each of them', () => {
    const issues = issuesFor({ ...valid, budget: 10_000, utm_source: 'ad' });
    expect(issues).toEqual([expect.objectContaining({ code: 'unrecognized_keys', keys: ['budget', 'utm_source'] })]);
  });

  test('a bad email is refused on the email field', () => {
    const issues = issuesFor({ ...valid, email: 'priya at acme' });
    expect(issues).toEqual([expect.objectContaining({ path: ['email'], message: 'email must be a valid address' })]);
  });

  test('a missing name is refused on the name field', () => {
    expect(issuesFor({ email: valid.email, source: valid.source })).toEqual([
      expect.objectContaining({ path: ['name'] }),
    ]);
  });

  test('a blank name is refused as required', () => {
    expect(issuesFor({ ...valid, name: '   ' })).toEqual([
      expect.objectContaining({ path: ['name'], message: 'name is required' }),
    ]);
  });

  test('an unknown source is refused on the source field, listing the allowed ones', () => {
    expect(issuesFor({ ...valid, source: 'fax' })).toEqual([
      expect.objectContaining({ path: ['source'], message: 'source must be one of web-form, chat, partner-api' }),
    ]);
  });

  test('a missing source is refused on the source field', () => {
    expect(issuesFor({ name: valid.name, email: valid.email })).toEqual([
      expect.objectContaining({ path: ['source'] }),
    ]);
  });
});

describe('normaliseEmail', () => {
  test('lowercases and trims, so case and whitespace never make two people', () => {
    expect(normaliseEmail('  Priya.Shah@ACME.Example\t')).toBe('priya.shah@acme.example');
    expect(normaliseEmail('Priya.Shah@acme.example')).toBe(normaliseEmail('priya.shah@ACME.EXAMPLE '));
  });
});

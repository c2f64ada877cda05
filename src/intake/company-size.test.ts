// Company size from a head count or a drop-down band.
import fc from 'fast-check';
import { maxEmployees, readCompanySize } from './company-size';

describe('readCompanySize', () => {
  it.each([
    [250, 250],
    ['250', 250],
    ['50-200', 50],
    ['50 - 200', 50],
    ['51–200 employees', 51],
    ['1,000-5,000', 1000],
    ['1.000 - 4.999 Mitarbeiter', 1000],
    ['10 bis 49', 10],
    ['10 a 49 empleados', 10],
    ['1000+', 1000],
    ['10 000+', 10000],
    ['more than 500', 500],
    ['más de 200', 200],
    ['<10', 1],
    ['moins de 10 salariés', 1],
    ['0-10', 1],
  ] as const)('%j -> %d employees', (input, employees) => {
    expect(readCompanySize(input)).toEqual({ ok: true, employees });
  });

  it.each([['lots'], ['200-50'], ['fifty'], [0], [-3], [12.5], [maxEmployees + 1], ['']])(
    'refuses %j with a message naming companySize',
    (input) => {
      const reading = readCompanySize(input);
      expect(reading.ok).toBe(false);
      if (!reading.ok) expect(reading.message).toMatch(/^companySize /);
    },
  );

  it('reads any band as its lower bound', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.constantFrom('-', ' - ', '–', ' to ', ' bis '),
        (low, extra, dash) => {
          expect(readCompanySize(`${low}${dash}${low + extra}`)).toEqual({ ok: true, employees: low });
        },
      ),
    );
  });
});

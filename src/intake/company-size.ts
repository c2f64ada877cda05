// Company size as forms send it: a head count, or a band picked from a drop-down ("50-200", "1000+", "10 bis 49").

/** Above this a "head count" is a typo or a revenue figure, not employees (the largest employers have ~2.3M). */
export const maxEmployees = 5_000_000;

// Thousands separators forms and people use: 1,000  1.000  1 000  1'000.
function readCount(text: string): number | null {
  const digits = text.replace(/[\s,.'\u00a0\u202f]/g, '');
  if (!/^\d+$/.test(digits)) return null;
  const value = Number(digits);
  return Number.isSafeInteger(value) ? value : null;
}

const count = String.raw`\d{1,3}(?:[,.'\s\u00a0\u202f]\d{3})+|\d+`;
// "to" in the four languages: to, a, bis, à; and dashes of every width.
const rangePattern = new RegExp(String.raw`^(${count})\s*(?:-|–|—|to|a|bis|à|y|und|and|et)\s*(${count})$`, 'i');
const atLeastPattern = new RegExp(
  String.raw`^(?:(${count})\s*\+|(?:>|over|more than|más de|mas de|mehr als|über|plus de)\s*(${count}))$`,
  'i',
);
const belowPattern = new RegExp(
  String.raw`^(?:<|under|less than|menos de|weniger als|unter|moins de)\s*(${count})$`,
  'i',
);

export type CompanySizeReading = { ok: true; employees: number } | { ok: false; message: string };

/**
 * Employees from a head count or a band; a band counts as its lower bound ("50-200" -> 50, "1000+" -> 1000,
 * "<10" -> 1), the size the company is known to have at least.
 */
export function readCompanySize(input: number | string): CompanySizeReading {
  const problem = `companySize must be a number of employees or a range like "50-200" (got ${JSON.stringify(input)})`;
  if (typeof input === 'number') {
    if (!Number.isInteger(input) || input < 1)
      return { ok: false, message: 'companySize must be a whole number of employees, at least 1' };
    if (input > maxEmployees) return { ok: false, message: `companySize must be at most ${maxEmployees} employees` };
    return { ok: true, employees: input };
  }
  const text = input
    .trim()
    .replace(/\s*(employees|empleados|mitarbeiter(innen)?|salariés|employés|personas|people)\.?$/i, '');
  let employees: number | null = null;
  const range = rangePattern.exec(text);
  const atLeast = atLeastPattern.exec(text);
  const below = belowPattern.exec(text);
  if (range?.[1] && range[2]) {
    const low = readCount(range[1]);
    const high = readCount(range[2]);
    if (low === null || high === null) return { ok: false, message: problem };
    if (high < low)
      return { ok: false, message: `companySize range must go from low to high (got ${JSON.stringify(input)})` };
    employees = low;
  } else if (atLeast) {
    employees = readCount(atLeast[1] ?? atLeast[2] ?? '');
  } else if (below) {
    employees = readCount(below[1] ?? '') === null ? null : 1;
  } else if (new RegExp(`^(?:${count})$`).test(text)) {
    employees = readCount(text);
  }
  if (employees === null) return { ok: false, message: problem };
  return readCompanySize(Math.max(employees, 1));
}

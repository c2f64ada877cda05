// How soon a lead wants something: the four urgencies, most pressing first.
export const urgencies = ['now', 'this-week', 'this-month', 'none'] as const;
export type Urgency = (typeof urgencies)[number];

// The lead workflows as the API reaches them: one per lead, named by the business id.
export function workflowIdFor(leadId: string): string {
  return `lead:${leadId}`;
}

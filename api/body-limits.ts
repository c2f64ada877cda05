// Every body is capped; partner batches (up to 100 leads) and routing policies get more room than a single lead.
export const bodyLimits = { single: 64 * 1024, batch: 1024 * 1024, policy: 256 * 1024 } as const;

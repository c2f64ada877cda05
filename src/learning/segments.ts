// The kind of lead conversion is learned for: the policy's segment dimensions applied to a lead, e.g.
// "mid-market cloud-migration leads in emea". Reps are compared within a segment, never across.
import type { RoutingLead } from '../policy/lead-attributes';
import type { LearningConfig, SegmentDimension } from '../policy/policy-schema';

export interface Segment {
  /** Stable across runs: "serviceLine=cloud-migration|companySize=mid-market|region=emea". */
  key: string;
  /** In words, for explanations: "mid-market cloud-migration leads in emea". */
  label: string;
}

type SegmentLead = Pick<RoutingLead, SegmentDimension>;

export function sizeBandOf(companySize: number | null, bands: LearningConfig['companySizeBands']): string {
  if (companySize === null) return 'unknown-size';
  return (bands.find((band) => band.below === undefined || companySize < band.below) ?? bands[bands.length - 1]!).name;
}

export function segmentOf(
  lead: SegmentLead,
  learning: Pick<LearningConfig, 'segmentBy' | 'companySizeBands'>,
): Segment {
  const values = new Map<SegmentDimension, string>();
  for (const dimension of learning.segmentBy) {
    const value =
      dimension === 'companySize' ? sizeBandOf(lead.companySize, learning.companySizeBands) : lead[dimension];
    values.set(dimension, value ?? 'unknown');
  }
  const key = [...values].map(([dimension, value]) => `${dimension}=${value}`).join('|');
  const before = [values.get('companySize'), values.has('tier') ? `tier ${values.get('tier')}` : undefined];
  const source = values.get('source');
  const region = values.get('region');
  const after = [
    source === undefined ? undefined : source === 'unknown' ? 'from an unknown source' : `from ${source}`,
    region === undefined ? undefined : region === 'unknown' ? 'in an unknown region' : `in ${region}`,
  ];
  const label = [...before, values.get('serviceLine'), 'leads', ...after].filter(Boolean).join(' ');
  return { key, label };
}

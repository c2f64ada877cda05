// The slice of the sales directory routing decides over, and the few by-id lookups a decision makes in it.
import type { DirectoryFile, Rep } from '../directory-file';

export type Directory = Pick<DirectoryFile, 'teams' | 'reps'>;

export interface RepLookup {
  get(id: string): Rep | undefined;
}

// Only owners, backups and managers are looked up by id: a few per decision. A directory read afresh for each
// decision is scanned for them; one routed over a second time (or asked for many ids) is indexed once.
const repIndexes = new WeakMap<readonly Rep[], Map<string, Rep> | 'seen'>();

export function lookupReps(reps: readonly Rep[]): RepLookup {
  const known = repIndexes.get(reps);
  let index = known instanceof Map ? known : undefined;
  const buildIndex = () => {
    index = new Map(reps.map((rep) => [rep.id, rep]));
    repIndexes.set(reps, index);
    return index;
  };
  if (known === 'seen') buildIndex();
  else if (!known) repIndexes.set(reps, 'seen');
  let lookups = 0;
  return {
    get(id) {
      if (!index && ++lookups > 8) buildIndex();
      return index ? index.get(id) : reps.find((rep) => rep.id === id);
    },
  };
}

// Creating and changing a rep: in one transaction with the rep's row locked, validated whole (RepSchema) and
// against the rest of the directory. Reps are never deleted; deactivating is a change like any other.
import type { Pool } from 'pg';
import { insertRep, readRep, writeRep, type StoredRep } from '../../../db/directory';
import { withTransaction } from '../../../db/pool';
import { RepSchema, type Rep } from '../../../src/directory-file';
import { badRequest, httpError, issuesFromZod } from '../../errors';
import { checkRepReferences, notFound } from '../directory-references';

export async function createRep(db: Pool, rep: Rep): Promise<StoredRep> {
  return withTransaction(db, async (tx) => {
    await checkRepReferences(tx, rep);
    if (!(await insertRep(tx, rep)))
      throw httpError(409, 'id', `rep ${rep.id} exists; PATCH /v1/admin/reps/${rep.id} to change them`);
    return (await readRep(tx, rep.id)) as StoredRep;
  });
}

/** Read, change, validate whole, check references, write. */
export async function updateRep(
  db: Pool,
  id: string,
  change: (rep: Rep) => Record<string, unknown>,
): Promise<StoredRep> {
  return withTransaction(db, async (tx) => {
    const current = await readRep(tx, id, { lock: true });
    if (!current) return notFound('rep', id);
    const merged = RepSchema.safeParse(change(current.rep));
    if (!merged.success) throw badRequest(issuesFromZod(merged.error.issues));
    await checkRepReferences(tx, merged.data);
    await writeRep(tx, merged.data);
    return (await readRep(tx, id)) as StoredRep;
  });
}

/** Removes the out-of-office window at `index` (its position in the list, from 0). */
export function removeOutOfOffice(db: Pool, id: string, index: number): Promise<StoredRep> {
  return updateRep(db, id, (rep) => {
    if (index >= rep.outOfOffice.length)
      throw httpError(
        404,
        'index',
        `rep ${rep.id} has ${rep.outOfOffice.length} out-of-office window(s); no window ${index}`,
      );
    return { ...rep, outOfOffice: rep.outOfOffice.filter((_w, i) => i !== index) };
  });
}

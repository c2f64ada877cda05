// Retraining the classifier from the leads reps corrected: a candidate trained on the corpus plus the corrected
// leads is measured on the frozen evaluation set, activated only if no figure is worse than the active model's,
// else kept aside with its figures. Run by the retraining Schedule (workflows/retrain-classifier.ts).
import fs from 'node:fs';
import path from 'node:path';
import type { Pool } from 'pg';
import { readActiveModel, readCorrectedLeads, saveModel } from '../db/corrections';
import { trainClassifier, type LeadClassifier } from '../src/classification/classifier';
import { parseCorpus, type LabelledInquiry } from '../src/classification/corpus';
import { describeFigures, retrainCandidate, type ModelFigures } from '../src/corrections';

/** Where retraining reads the corpus and the frozen evaluation set. */
export interface RetrainingSources {
  /** The default corpus plus the deployment's own file, as the worker trained at start. */
  base(): LabelledInquiry[];
  evaluation(): LabelledInquiry[];
}

const dataDir = path.join(__dirname, '..', 'data', 'classifier');
const readFile = (file: string) => parseCorpus(fs.readFileSync(file, 'utf8'), path.relative(process.cwd(), file));

/** The shipped corpus and evaluation set; a deployment with its own corpus file passes its own `base`. */
export const defaultRetrainingSources: RetrainingSources = {
  base: () => readFile(path.join(dataDir, 'training.jsonl')),
  evaluation: () => readFile(path.join(dataDir, 'evaluation.jsonl')),
};

/** A classifier whose model can be replaced while the worker runs (workers/classifier.ts makes one). */
export interface ReplaceableClassifier extends LeadClassifier {
  replace(next: LeadClassifier): void;
}

function isReplaceable(c: unknown): c is ReplaceableClassifier {
  return typeof (c as { replace?: unknown }).replace === 'function';
}

export interface RetrainSummary {
  version: number;
  status: 'active' | 'set-aside';
  corrections: number;
  examples: number;
  figures: ModelFigures;
  reason: string;
}

export function createRetrainActivities({
  db,
  classifier,
  retraining = defaultRetrainingSources,
}: {
  db: Pool;
  classifier: unknown;
  retraining?: RetrainingSources;
}) {
  return {
    /** Not keyed: every run records one candidate; a retried run at worst records the same candidate twice. */
    retrainClassifier: async (): Promise<RetrainSummary> => {
      const base = retraining.base();
      const evaluation = retraining.evaluation();
      const corrected = await readCorrectedLeads(db);
      // Without an active model the yardstick is the model the worker started with: the corpus alone.
      const active =
        (await readActiveModel(db))?.figures ??
        retrainCandidate({ base, corrected: [], evaluation, active: null }).figures;
      const candidate = retrainCandidate({ base, corrected, evaluation, active });
      const stored = await saveModel(db, {
        activate: candidate.activate,
        examples: candidate.examples,
        corrections: corrected.reduce((n, lead) => n + lead.corrections.length, 0),
        figures: candidate.figures,
        reason: candidate.reason,
      });
      if (candidate.activate && isReplaceable(classifier))
        classifier.replace(trainClassifier([...base, ...candidate.examples]));
      return {
        version: stored.version,
        status: candidate.activate ? 'active' : 'set-aside',
        corrections: stored.corrections,
        examples: candidate.examples.length,
        figures: candidate.figures,
        reason: `${candidate.reason}${candidate.activate ? '' : ` (candidate: ${describeFigures(candidate.figures)})`}`,
      };
    },
  };
}

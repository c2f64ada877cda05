// The workflow bundle's entry point.
export { leadWorkflow } from './lead';
export { retrainClassifierWorkflow } from './retrain-classifier';

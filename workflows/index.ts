// The workflow bundle's entry point.
export { leadWorkflow } from './lead';

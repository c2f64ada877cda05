// The floor workflows' one message, shared by the workflows and the benchmark that drives them.
import { defineUpdate } from '@temporalio/workflow';

/** The floors' stand-in for a rep's accept: ends the wait. */
export const finishFloor = defineUpdate<void>('finishFloor');

/** Steps F1 and F2 run before they wait: a round number, near the 15 activities a lead cost before workflow v2. */
export const floorSteps = 10;

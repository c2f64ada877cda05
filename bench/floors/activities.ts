// The floor workflows' one step: does nothing, and tells the benchmark when a workflow reached its last step.
import { Context } from '@temporalio/activity';

export interface FloorStep {
  step: number;
  of: number;
}

/** `reached` is called in the worker's process with the workflow id, at the moment the last step runs. */
export function createFloorActivities(reached: (workflowId: string, atMs: number) => void) {
  return {
    // eslint-disable-next-line @typescript-eslint/require-await
    async floorStep({ step, of }: FloorStep): Promise<void> {
      const workflowId = Context.current().info.workflowExecution?.workflowId;
      if (step === of && workflowId) reached(workflowId, Date.now());
    },
  };
}

export type FloorActivities = ReturnType<typeof createFloorActivities>;

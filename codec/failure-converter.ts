// Failure messages and stack traces go into the failure's encoded attributes, so the payload codec seals them too:
// an error that quotes a lead (a database error naming an email, say) is not readable in history. Loaded inside the
// workflow sandbox as well (bundled through `failureConverterPath`), so it imports nothing from Node.
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });

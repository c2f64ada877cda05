// The OpenAPI 3.1 document, generated from the routes' zod schemas, served at /openapi.json and browsable at /docs.
import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** Schemas registered here become named components (`#/components/schemas/<id>`) of the document. */
export const apiSchemas = z.registry<{ id: string }>();

/** `security` entries for route schemas: which of the two bearer schemes a route takes. */
export const security: Record<'apiKey' | 'repToken' | 'either', Array<Record<string, string[]>>> = {
  apiKey: [{ apiKey: [] }],
  repToken: [{ repToken: [] }],
  either: [{ apiKey: [] }, { repToken: [] }],
};

/** Registers the document generator and the UI; routes registered after this are in the document. */
export function registerOpenApi(app: FastifyInstance): void {
  void app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'leadrelay',
        version: '1',
        description: [
          'Lead routing on Temporal. Intake systems submit leads; reps accept or decline the offers they are sent; admins manage the sales directory and the routing policy.',
          '',
          'Every 4xx answer has the shape `{ error, issues: [{ field, message }] }` and names the offending field; unknown fields are refused.',
          'Authenticate with `Authorization: Bearer <token>`: API keys (`lrk_…`, scoped `leads:write`, `leads:read`, `partner`, `admin`) for systems, rep tokens (`lrr_…`) for reps.',
          'Create them with `npx leadrelay keys create --name <who> --scope <scope>` and `npx leadrelay keys rep-token --rep <id>`.',
        ].join('\n'),
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key `lrk_<id>.<secret>` with the scope the route names' },
          repToken: { type: 'http', scheme: 'bearer', description: 'A rep token `lrr_<id>.<secret>`: the acting rep is the token\'s rep' },
        },
      },
      tags: [
        { name: 'intake', description: 'Submitting leads' },
        { name: 'leads', description: 'Reading a lead and its timeline' },
        { name: 'reps', description: 'A rep\'s offers and answers' },
        { name: 'admin', description: 'Directory and routing policy' },
      ],
    },
    transform: createJsonSchemaTransform({ schemaRegistry: apiSchemas, skipList: ['/openapi.json'] }),
    transformObject: createJsonSchemaTransformObject({ schemaRegistry: apiSchemas }),
  });
  void app.register((scope, _opts, done) => {
    scope.get('/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, () => app.swagger());
    done();
  });
}

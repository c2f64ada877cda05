// The OpenAPI 3.1 document, generated from the routes' zod schemas, served at /openapi.json and browsable at /docs.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance, FastifySchema, RouteOptions } from 'fastify';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';

/**
 * Schemas registered here with an id become named components (`#/components/schemas/<id>`) of the document. It is
 * zod's global registry, the one `.describe()` and `.meta()` write to: the document is generated with its metadata,
 * so every description, and every rule stated with `.meta()`, reaches the document.
 */
export const apiSchemas = z.globalRegistry;

/** `security` entries for route schemas: which of the two bearer schemes a route takes. */
export const security: Record<'apiKey' | 'repToken' | 'either', Array<Record<string, string[]>>> = {
  apiKey: [{ apiKey: [] }],
  repToken: [{ repToken: [] }],
  either: [{ apiKey: [] }, { repToken: [] }],
};

const zodTransform = createJsonSchemaTransform({ schemaRegistry: apiSchemas, skipList: ['/openapi.json'] });
const zodTransformObject = createJsonSchemaTransformObject({ schemaRegistry: apiSchemas });

// @fastify/swagger marks every request body required; a route declaring `bodyOptional` (api/optional-body.ts) takes
// none. The route's operation carries this mark from the per-route transform to the whole-document one.
const optionalBodyMark = 'x-leadrelay-body-optional';

function markOptionalBody(route: RouteOptions, transformed: { schema: FastifySchema; url: string }) {
  if (!route.config?.bodyOptional || !transformed.schema) return transformed;
  return { ...transformed, schema: { ...transformed.schema, [optionalBodyMark]: true } };
}

function unmarkOptionalBodies<T extends { paths?: object }>(document: T): T {
  for (const operations of Object.values(document.paths ?? {}) as Array<Record<string, unknown>>) {
    for (const operation of Object.values(operations) as Array<Record<string, unknown>>) {
      if (!(optionalBodyMark in operation)) continue;
      delete operation[optionalBodyMark];
      if (operation.requestBody) (operation.requestBody as { required?: boolean }).required = false;
    }
  }
  return document;
}

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
          'Bodies are capped: 64 KiB, 1 MiB for partner batches and chat transcripts, 256 KiB for policy uploads; a larger body is answered 413. A method a path does not declare is answered 405 with `Allow`.',
          'Authenticate with `Authorization: Bearer <token>`: API keys (`lrk_…`, scoped `leads:write`, `leads:read`, `partner`, `admin`) for systems, rep tokens (`lrr_…`) for reps.',
          'Create them with `npx leadrelay keys create --name <who> --scope <scope>` and `npx leadrelay keys rep-token --rep <id>`.',
        ].join('\n'),
      },
      components: {
        securitySchemes: {
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            description: 'An API key `lrk_<id>.<secret>` with the scope the route names',
          },
          repToken: {
            type: 'http',
            scheme: 'bearer',
            description: "A rep token `lrr_<id>.<secret>`: the acting rep is the token's rep",
          },
        },
      },
      tags: [
        { name: 'intake', description: 'Submitting leads' },
        { name: 'leads', description: 'Reading a lead and its timeline' },
        { name: 'reps', description: "A rep's offers and answers" },
        { name: 'admin', description: 'Directory and routing policy' },
      ],
    },
    transform: (input) => markOptionalBody(input.route, zodTransform(input)),
    transformObject: (input) => unmarkOptionalBodies(zodTransformObject(input)),
  });
  void app.register((scope, _opts, done) => {
    scope.get('/openapi.json', { schema: { hide: true }, config: { access: 'public' } }, () => app.swagger());
    scope.get('/docs', { schema: { hide: true }, config: { access: 'public' } }, (_request, reply) =>
      reply.type('text/html; charset=utf-8').send(docsPage),
    );
    scope.get(
      '/docs/static/:file',
      { schema: { hide: true }, config: { access: 'public' } },
      async (request, reply) => {
        const { file } = request.params as { file: string };
        const type = docsAssets.get(file);
        if (!type)
          return reply
            .code(404)
            .send({ error: `no file ${file}`, issues: [{ field: 'file', message: `no file ${file}` }] });
        return reply
          .type(type)
          .header('cache-control', 'public, max-age=86400')
          .send(await readFile(path.join(swaggerUiAssets, file)));
      },
    );
    done();
  });
}

// The browsable docs are Swagger UI's own assets, as shipped in @fastify/swagger-ui, served from a fixed list. Not
// that plugin itself: it serves them through @fastify/static, whose ESM-only dependency jest's CommonJS runtime
// cannot load, and that would take every test built on the API down with it.
const swaggerUiAssets = path.join(path.dirname(require.resolve('@fastify/swagger-ui/package.json')), 'static');
// A Map, not an object literal: a file named `constructor` or `__proto__` must not find Object.prototype's members.
const docsAssets = new Map<string, string>([
  ['swagger-ui.css', 'text/css; charset=utf-8'],
  ['index.css', 'text/css; charset=utf-8'],
  ['swagger-ui-bundle.js', 'application/javascript; charset=utf-8'],
  ['swagger-ui-standalone-preset.js', 'application/javascript; charset=utf-8'],
  ['favicon-32x32.png', 'image/png'],
]);
const docsPage = `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>leadrelay API</title>
    <link rel="stylesheet" href="/docs/static/swagger-ui.css">
    <link rel="stylesheet" href="/docs/static/index.css">
    <link rel="icon" type="image/png" href="/docs/static/favicon-32x32.png">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/static/swagger-ui-bundle.js"></script>
    <script src="/docs/static/swagger-ui-standalone-preset.js"></script>
    <script>
      window.onload = () => {
        window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset], layout: 'StandaloneLayout' });
      };
    </script>
  </body>
</html>
`;

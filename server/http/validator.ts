import type { FastifySchemaCompiler } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { refuseUnsafeText } from '../../core/contracts/common';

/**
 * The app's validator compiler: fastify-type-provider-zod's, with every route's body, querystring, params and headers
 * schema wrapped by {@link refuseUnsafeText}, so a lone UTF-16 surrogate or U+0000 anywhere in the input is a 400
 * VALIDATION_FAILED naming the field, whatever the route's own schema says (issue #10, finding 2). Set once in
 * buildApp: no route can forget it.
 */
export const safeTextValidatorCompiler: FastifySchemaCompiler<z.ZodType> = (route) =>
  validatorCompiler({ ...route, schema: refuseUnsafeText(route.schema) });

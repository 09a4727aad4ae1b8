/** HTTP routes for the user directory and account administration. */
import { z } from 'zod';
import { page, Pagination } from '../../../shared/api-schemas.js';
import { User, UserCreate, UserUpdate } from '../../../shared/user-schemas.js';
import { defineRoute, type AnyRoute } from '../../http/route.js';
import { actorOf } from '../auth/index.js';
import type { UserService } from './user.service.js';

const IdParams = z.strictObject({ id: z.string().min(1).max(64) });
const tags = ['users'];

export function userRoutes(deps: { users: UserService }): AnyRoute[] {
  const { users } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/api/v1/users',
      summary: 'The user directory',
      tags,
      access: 'user.read',
      query: Pagination,
      response: { status: 200, schema: page(User) },
      handler: ({ query }) => users.list(query.cursor, query.limit),
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/users/:id',
      summary: 'One user',
      tags,
      access: 'user.read',
      params: IdParams,
      response: { status: 200, schema: User },
      handler: ({ params }) => users.get(params.id),
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/users',
      summary: 'Create a user',
      tags,
      access: 'user.manage',
      body: UserCreate,
      response: { status: 201, schema: User },
      handler: ({ principal, body }) => users.create(actorOf(principal), body),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/api/v1/users/:id',
      summary: 'Change a user (role, name, disabled, password)',
      tags,
      access: 'user.manage',
      params: IdParams,
      body: UserUpdate,
      response: { status: 200, schema: User },
      handler: ({ principal, params, body }) => users.update(actorOf(principal), params.id, body),
    }),
  ] as AnyRoute[];
}

import type { Prefetched } from '../lib/db.js';
import { httpHandler } from '../lib/http/authorize.js';
import * as requests from '../lib/requests.js';
import type { UserItem } from '../lib/user-store.js';
import { updateUser } from '../lib/users.js';

export const handler = httpHandler(
  'users-update',
  requests.usersUpdate,
  async ({ body, params, user, target }) => ({
    status: 200,
    body: await updateUser(user.accountId, params.id, body, user, target as Prefetched<UserItem>),
  }),
);

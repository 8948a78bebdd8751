import type { Prefetched } from '../lib/db.js';
import { httpHandler } from '../lib/http/authorize.js';
import * as requests from '../lib/requests.js';
import { deleteUser } from '../lib/user-delete.js';
import type { UserItem } from '../lib/user-store.js';

export const handler = httpHandler(
  'users-delete',
  requests.byId,
  async ({ params, user, target }) => {
    await deleteUser(user.accountId, params.id, user, target as Prefetched<UserItem>);
    return { status: 204 };
  },
);

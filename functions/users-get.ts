import type { Prefetched } from '../lib/db.js';
import { httpHandler } from '../lib/http/authorize.js';
import * as requests from '../lib/requests.js';
import { publicUserOf, type UserItem } from '../lib/user-store.js';

export const handler = httpHandler('users-get', requests.byId, async ({ target }) => ({
  status: 200,
  body: publicUserOf(target as Prefetched<UserItem> | undefined),
}));

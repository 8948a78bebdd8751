/**
 * Authentication and authorisation from the route table, for every route that is not public.
 * Kept out of middleware.ts so public functions don't carry the token code.
 */
import type { MiddlewareObj } from '@middy/core';
import { authenticate } from '../auth.js';
import {
  AdminRequiredError,
  FeatureNotInPlanError,
  PasswordChangeRequiredError,
} from '../errors.js';
import { keys } from '../keys.js';
import { planHas } from '../plans.js';
import type { RouteDef, RouteId } from '../routes.js';
import {
  buildHandler,
  type Event,
  type HandlerFn,
  type Request,
  type RequestOf,
  type Result,
  type State,
  state,
} from './middleware.js';

/** Verify the caller and apply the route's access rules, before any body is looked at. */
function authorize(): MiddlewareObj<Event, Result> {
  return {
    before: async (request) => {
      const s = state(request as Request);
      const { access, feature } = s.route;
      const { user, account, target } = await authenticate(request.event.headers?.authorization, {
        withAccount: needsAccount(s.route),
        target: targetKey(s, request.event.pathParameters),
      });
      s.user = user;
      s.account = account;
      s.target = target;
      if (user.mustChangePassword && !s.route.duringPasswordChange) {
        throw new PasswordChangeRequiredError();
      }
      if (access === 'admin' && !user.admin) throw new AdminRequiredError();
      if (feature && account && !planHas(account.plan, feature)) {
        throw new FeatureNotInPlanError(feature);
      }
    },
  };
}

/**
 * The key of the route's target, from the path's `{id}` and (later) the caller's account.
 * Only an id the route's own path schema accepts is read ahead; any other is refused by
 * validation right after.
 */
function targetKey(s: State, path: Record<string, string | undefined> | undefined) {
  const kind = s.route.readsTarget;
  const parsed = s.schemas.params?.safeParse(path ?? {});
  if (!kind || !parsed?.success) return undefined;
  return (accountId: string) => keys[kind](accountId, (parsed.data as { id: string }).id);
}

/** Routes whose handler or rules need the caller's account read with the caller. */
function needsAccount(route: RouteDef): boolean {
  return route.feature !== undefined || route.readsAccount === true;
}

/** The handler of an authenticated route (`user` or `admin` in the route table). */
export function httpHandler<R extends RouteId>(
  routeId: R,
  request: RequestOf<R>,
  fn: HandlerFn<R>,
) {
  return buildHandler(routeId, request, fn, authorize());
}

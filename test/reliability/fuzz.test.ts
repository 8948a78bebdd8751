/**
 * Hostile input, property-based (fast-check), over every route of the route table: a route
 * added later is fuzzed without touching this file. Requests go straight to the handlers
 * (test/reliability/invoke.ts) against DynamoDB Local.
 *
 * Property, for each request:
 *  - never a 5xx, and every 4xx is a contract error `{error: {code, message}}`;
 *  - a forged, expired, revoked or malformed token on an authenticated route is a 401;
 *  - the victim account's partition changes only through a 2xx that the victim's own token
 *    (or a public route working as designed) asked for: every DynamoDB write that reached the
 *    table is read off the wire per request, the whole partition is compared regularly, and
 *    once more at the end;
 *  - a valid token of another account never sees anything of the victim's;
 *  - after the run, the integrity checker passes on both accounts.
 *
 * `npm run fuzz -- --runs N` runs the same file with more cases (FUZZ_RUNS, FUZZ_SEED).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ERROR_STATUS } from '../../lib/errors.js';
import { keys } from '../../lib/keys.js';
import { errorCodesOf } from '../../lib/openapi.js';
import { routeList } from '../../lib/routes.js';
import { verifyAccount } from '../../lib/verify.js';
import { FaultInjector } from '../support/faults.js';
import { snapshot } from '../support/table.js';
import {
  type HostileRequest,
  hostileRequest,
  makeWorld,
  OTHER_VALID_TOKENS,
  toCall,
  VICTIM_TOKENS,
  type World,
} from './hostile.js';
import { invoke } from './invoke.js';

/**
 * bcrypt at the policy's cost (10, ~90 ms) would make every login-shaped case pay a hash.
 * Hostile input is about parsing, validation and authorisation, not hashing: hashes here use
 * cost 4, and a comparison against a costlier hash (the unknown-user dummy) is made against
 * a cost-4 dummy instead. Both still answer exactly as bcrypt does.
 */
vi.mock('bcryptjs', async (importOriginal) => {
  const real = ((await importOriginal()) as any).default;
  const dummy = real.hashSync('never-the-password', 4);
  const cheap = {
    ...real,
    hash: (password: string) => real.hash(password, 4),
    compare: (password: string, hash: string) =>
      real.compare(password, /^\$2[aby]\$04\$/.test(hash) ? hash : dummy),
  };
  return { ...cheap, default: cheap };
});

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
/**
 * `npm test` replays one fixed seed, so a red build always means a change, not luck; `npm run
 * fuzz` draws a new seed each run (printed on failure) unless given one.
 */
const SEED = process.env.FUZZ_SEED
  ? Number(process.env.FUZZ_SEED)
  : process.env.FUZZ_RUNS
    ? undefined
    : 20_240_607;
/** Per route: enough for long runs of `npm run fuzz` (a case takes a few ms). */
const TIMEOUT_MS = 60_000 + RUNS * 250;
/** Compare the whole partition every this many cases (and at the end). */
const SNAPSHOT_EVERY = 25;

let recorder: FaultInjector;
beforeAll(() => {
  // No faults: only the record of which writes reached the table.
  recorder = new FaultInjector({ rate: 0, seed: 1, recordWrites: true }).install();
});
afterAll(() => recorder.restore());

const ERROR_CODE = /^[A-Z][A-Z_]*[A-Z]$/;
/** API.md "Conventions": any route refuses a bad body so, even one that takes none. */
const BODY_CODES = ['INVALID_JSON', 'PAYLOAD_TOO_LARGE', 'VALIDATION_FAILED'];

describe(`hostile input, ${RUNS} cases per route (fast-check)`, () => {
  const routes = routeList().filter(
    (r) => !process.env.FUZZ_ROUTE || r.id === process.env.FUZZ_ROUTE,
  );
  it('covers every route of the route table', () => {
    expect(routes.length).toBeGreaterThanOrEqual(process.env.FUZZ_ROUTE ? 1 : 15);
  });

  for (const route of routes) {
    it(
      `${route.method} ${route.path} (${route.id}): never 5xx, always a contract error, nothing written for the unauthorised or invalid`,
      async () => {
        const world: World = await makeWorld();
        const victimPk = keys.account(world.victim.accountId).PK;
        const victimIds = [world.victim.accountId, world.victim.adminId, world.victim.userId];
        let baseline = await snapshot(world.victim.accountId);
        let cases = 0;

        const property = fc.asyncProperty(hostileRequest(route), async (req: HostileRequest) => {
          cases++;
          const call = await toCall(req, world);
          recorder.writes.length = 0;
          const res = await invoke(route.id, call);
          const kind = req.token.kind;
          const why = `${res.status} ${res.text.slice(0, 300)}`;

          expect(res.status, why).toBeLessThan(500);
          if (res.status >= 400) {
            const code = res.body?.error?.code;
            expect(code, why).toMatch(ERROR_CODE);
            expect(typeof res.body.error.message, why).toBe('string');
            // A code this route documents (or the body rules every route shares), at its status.
            expect([...errorCodesOf(route.id), ...BODY_CODES], why).toContain(code);
            expect(res.status, why).toBe(ERROR_STATUS[code as keyof typeof ERROR_STATUS]);
          }
          const validToken = VICTIM_TOKENS.includes(kind) || OTHER_VALID_TOKENS.includes(kind);
          if (route.access !== 'public' && !validToken) {
            expect(res.status, why).toBe(401);
            expect(res.body.error.code, why).toBe('UNAUTHENTICATED');
          }
          // (Public routes ignore tokens: a login with the victim's password is the victim's.
          // An id the attacker typed in may come back: it is theirs to echo.)
          if (route.access !== 'public' && OTHER_VALID_TOKENS.includes(kind)) {
            const sent = JSON.stringify(call);
            for (const id of victimIds.filter((i) => !sent.includes(i))) {
              expect(res.text, why).not.toContain(id);
            }
          }

          const allowed =
            res.status < 300 && (route.access === 'public' || VICTIM_TOKENS.includes(kind));
          const wrote = recorder.writes.some((w) => w.body.includes(victimPk));
          if (!allowed) expect(wrote, `wrote to the victim: ${why}`).toBe(false);
          if (wrote || (res.status < 300 && route.method !== 'GET')) {
            // A legitimate change: logins may need to be usable again, then a new baseline.
            await world.heal();
            baseline = await snapshot(world.victim.accountId);
          } else if (cases % SNAPSHOT_EVERY === 0) {
            expect(await snapshot(world.victim.accountId)).toEqual(baseline);
          }
        });

        await fc.assert(property, {
          numRuns: RUNS,
          ...(SEED === undefined ? {} : { seed: SEED }),
        });
        expect(cases).toBeGreaterThanOrEqual(RUNS);
        expect(await snapshot(world.victim.accountId)).toEqual(baseline);
        expect(await verifyAccount(world.victim.accountId)).toEqual([]);
        expect(await verifyAccount(world.attacker.accountId)).toEqual([]);
      },
      TIMEOUT_MS,
    );
  }
});

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { describeError, run } from '../../infra/cli/accounts.js';
import { config } from '../../lib/config.js';
import { uniqueSlug } from '../support/harness.js';

const exec = promisify(execFile);
const target = () => ['--table', config.tableName, '--endpoint', config.dynamoEndpoint as string];

describe('accounts CLI', () => {
  it('creates an account and prints the JSON of API.md', async () => {
    const slug = uniqueSlug('cli');
    const out = (await run([
      'create',
      '--slug',
      slug,
      '--name',
      'Acme Ltd',
      '--plan',
      'cloud-pro',
      '--admin-username',
      'alice',
      '--admin-email',
      'alice@example.com',
      ...target(),
    ])) as any;
    expect(out).toEqual({
      account: { id: expect.any(String), slug, name: 'Acme Ltd', plan: 'cloud-pro' },
      admin: { id: expect.any(String), username: 'alice' },
      temporaryPassword: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/),
    });
  });

  it('omits temporaryPassword when the operator gives one', async () => {
    const out = (await run([
      'create',
      '--slug',
      uniqueSlug('cli'),
      '--name',
      'Given',
      '--plan',
      'starter',
      '--admin-username',
      'bob',
      '--admin-password',
      'Operator-chosen-1',
      ...target(),
    ])) as any;
    expect(out).not.toHaveProperty('temporaryPassword');
  });

  it('changes the plan and lists accounts', async () => {
    const slug = uniqueSlug('cli');
    await run([
      'create',
      '--slug',
      slug,
      '--name',
      'P',
      '--plan',
      'starter',
      '--admin-username',
      'a',
      ...target(),
    ]);
    const updated = (await run([
      'set-plan',
      '--slug',
      slug,
      '--plan',
      'enterprise',
      ...target(),
    ])) as any;
    expect(updated).toMatchObject({ slug, plan: 'enterprise', userLimit: null, userCount: 1 });
    const list = (await run(['list', ...target()])) as any[];
    expect(list.find((a) => a.slug === slug)).toMatchObject({ plan: 'enterprise' });
  });

  it('refuses bad slugs, duplicate slugs, unknown plans and unknown accounts with clear messages', async () => {
    const slug = uniqueSlug('cli');
    await run([
      'create',
      '--slug',
      slug,
      '--name',
      'D',
      '--plan',
      'starter',
      '--admin-username',
      'a',
      ...target(),
    ]);
    const cases: [string[], RegExp][] = [
      [
        [
          'create',
          '--slug',
          'Bad_Slug',
          '--name',
          'x',
          '--plan',
          'starter',
          '--admin-username',
          'a',
        ],
        /Invalid slug/,
      ],
      [
        ['create', '--slug', 'ab', '--name', 'x', '--plan', 'starter', '--admin-username', 'a'],
        /Invalid slug/,
      ],
      [
        ['create', '--slug', slug, '--name', 'x', '--plan', 'starter', '--admin-username', 'a'],
        /already exists/,
      ],
      [
        [
          'create',
          '--slug',
          uniqueSlug(),
          '--name',
          'x',
          '--plan',
          'gold',
          '--admin-username',
          'a',
        ],
        /Unknown plan "gold"/,
      ],
      [['set-plan', '--slug', uniqueSlug(), '--plan', 'starter'], /No account has slug/],
      [
        ['create', '--slug', uniqueSlug(), '--plan', 'starter', '--admin-username', 'a'],
        /--name is required/,
      ],
      [['frobnicate'], /Unknown command/],
    ];
    for (const [args, message] of cases) {
      const err = await run([...args, ...target()]).then(
        () => undefined,
        (e) => e,
      );
      expect(err, args.join(' ')).toBeDefined();
      expect(describeError(err)).toMatch(message);
    }
  });

  it('exits 1 with one message on stderr, and 0 with JSON on stdout, as a process', async () => {
    const slug = uniqueSlug('cli');
    const args = [
      'tsx',
      'infra/cli/accounts.ts',
      'create',
      '--slug',
      slug,
      '--name',
      'Proc',
      '--plan',
      'starter',
      '--admin-username',
      'p',
      ...target(),
    ];
    const ok = await exec('npx', args);
    expect(JSON.parse(ok.stdout).account.slug).toBe(slug);
    const dup = await exec('npx', args).then(
      () => undefined,
      (e) => e,
    );
    expect(dup.code).toBe(1);
    expect(dup.stdout).toBe('');
    expect(dup.stderr.trim()).toBe(`An account with slug "${slug}" already exists.`);
  });
});

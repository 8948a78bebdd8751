import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { ERROR_STATUS } from '../../lib/errors.js';
import { errorCodesOf, openApiDocument, serialise } from '../../lib/openapi.js';
import { routeList } from '../../lib/routes.js';

const doc = openApiDocument() as any;

/** Every source file of lib/ and functions/, for the static checks below. */
function sources(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (path.endsWith('.ts')) out.push({ file: path, text: readFileSync(path, 'utf8') });
    }
  };
  walk('lib');
  walk('functions');
  return out;
}

describe('the OpenAPI document', () => {
  it('is the one openapi.json holds and GET /v1/openapi.json serves (else: npm run openapi)', () => {
    expect(readFileSync('openapi.json', 'utf8')).toBe(serialise(doc));
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents every route of the route table, and nothing else', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(
      routeList()
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    );
  });

  it('declares bearer auth, and no auth on public routes', () => {
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const r of routeList()) {
      const op = doc.paths[r.path][r.method.toLowerCase()];
      if (r.access === 'public') expect(op.security, r.id).toEqual([]);
      else expect(op.security, r.id).toBeUndefined();
    }
  });

  it('rejects unknown body fields in the documented schemas too', () => {
    const create = doc.paths['/v1/users'].post.requestBody.content['application/json'].schema;
    expect(create.additionalProperties).toBe(false);
  });

  it('documents only error codes the code produces, and every code the code produces', () => {
    const all = sources();
    const errorsFile = all.find((s) => s.file.endsWith(join('lib', 'errors.ts')))!.text;
    const rest = all.filter((s) => !s.file.endsWith(join('lib', 'errors.ts')));
    // Each error class names its code in `super('CODE', …)`; a code is produced when its
    // class is thrown somewhere outside errors.ts.
    const classes = [
      ...errorsFile.matchAll(/class (\w+) extends AppError[\s\S]*?super\(\s*'(\w+)'/g),
    ];
    const produced = new Set(
      classes
        .filter(([, name]) => rest.some((s) => s.text.includes(`new ${name}(`)))
        .map(([, , code]) => code),
    );
    // INTERNAL is the middleware's answer to anything unexpected.
    if (rest.some((s) => s.text.includes("code: 'INTERNAL'"))) produced.add('INTERNAL');
    const documented = new Set(routeList().flatMap((r) => errorCodesOf(r.id)));
    expect([...documented].sort()).toEqual([...produced].sort());
    expect([...produced].sort()).toEqual(Object.keys(ERROR_STATUS).sort());
  });

  it('puts each error code under its contract status', () => {
    for (const r of routeList()) {
      const op = doc.paths[r.path][r.method.toLowerCase()];
      for (const code of errorCodesOf(r.id)) {
        expect(op.responses[ERROR_STATUS[code]]['x-error-codes'], `${r.id} ${code}`).toContain(
          code,
        );
      }
    }
  });
});

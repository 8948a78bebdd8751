/**
 * `npm start`: the whole service on this machine. DynamoDB Local (data in .data/), the local
 * SES with its web inbox, the table, the demo account, and every route of the route table.
 * Ctrl-C stops everything it started.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { getAccountBySlug } from '../../lib/account-store.js';
import { createAccount } from '../../lib/accounts.js';
import { cleanupResetTokens } from '../../lib/reset-cleanup.js';
import { startApi } from './adapter.js';
import { LOCAL_TABLE, localPorts, useLocalServices } from './env.js';
import {
  DATA_DIR,
  ensureTable,
  hasJava,
  JAVA_MISSING,
  localSigningKeys,
  startDynamo,
  startSes,
} from './services.js';

const DEMO_FILE = resolve(DATA_DIR, 'demo-admin.json');
const CLEANUP_EVERY_MS = 10 * 60_000;

async function main() {
  if (!hasJava()) {
    console.error(JAVA_MISSING);
    process.exit(1);
  }
  const ports = localPorts();
  const stops: (() => Promise<unknown>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, async () => {
      if (stopping) return;
      stopping = true;
      console.log('\nStopping…');
      await stopAll();
      process.exit(0);
    });
  }

  try {
    const dynamo = await startDynamo({
      port: ports.dynamo,
      dataDir: resolve(DATA_DIR, 'dynamodb'),
    });
    stops.push(dynamo.stop);
    const ses = await startSes(ports.ses);
    stops.push(() => new Promise((r) => ses.server.close(r)));
    const appUrl = `http://localhost:${ports.api}`;
    useLocalServices({
      dynamoEndpoint: dynamo.endpoint,
      sesEndpoint: ses.endpoint,
      appUrl,
      signingKeys: localSigningKeys(),
    });
    await ensureTable(dynamo.endpoint, LOCAL_TABLE);
    const demo = await ensureDemo();
    const api = await startApi(ports.api, '0.0.0.0');
    stops.push(api.close);
    // The deployed stack runs cleanup hourly on EventBridge; locally a timer does.
    const timer = setInterval(() => {
      cleanupResetTokens().catch((err) => console.error('cleanup failed:', err.name));
    }, CLEANUP_EVERY_MS);
    stops.push(async () => clearInterval(timer));

    console.log(`
Capptro user management — local stack
  API          ${appUrl}   (try: curl ${appUrl}/v1/me)
  Email inbox  http://localhost:${ports.ses}   (every email the service sends)
  DynamoDB     ${dynamo.endpoint}   table ${LOCAL_TABLE}, data in .data/
  Demo sign-in account "demo", username "admin", ${demo}
Ctrl-C stops everything.`);
  } catch (err) {
    console.error((err as Error).message);
    await stopAll();
    process.exit(1);
  }
}

/** Provision the demo account on first start; later starts only remind of the sign-in. */
async function ensureDemo(): Promise<string> {
  if (!(await getAccountBySlug('demo'))) {
    const created = await createAccount({
      slug: 'demo',
      name: 'Demo Company',
      plan: 'cloud-pro',
      adminUsername: 'admin',
      adminEmail: 'admin@demo.local',
    });
    writeFileSync(DEMO_FILE, JSON.stringify({ temporaryPassword: created.temporaryPassword }), {
      mode: 0o600,
    });
  }
  if (!existsSync(DEMO_FILE)) return 'password as you set it';
  const { temporaryPassword } = JSON.parse(readFileSync(DEMO_FILE, 'utf8'));
  return `first password "${temporaryPassword}" (you choose a new one at first sign-in)`;
}

await main();

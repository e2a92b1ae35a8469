/**
 * The broker as the app's default target (docs/architecture.md "The chain": out of the box the app starts
 * its own Terra-compatible broker on loopback): loopback only, persisted seq and replay store under the app's data dir, any
 * user id accepted (participants come and go), and a per-install developer credential kept in a
 * 0600 file so external consumers (`npm run consumer`) can connect to it.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { makePrivateDir } from './privateFiles';
import { join } from 'node:path';
import { z } from 'zod';
import { fail, ok, type Result } from '../shared/errors';
import { createBroker, type Broker } from './broker';
import type { BrokerConfigInput } from './config';
import type { TokenSource } from '../shared/terra/tokens';

/** Options of {@link startEmbeddedBroker}. */
export interface EmbeddedBrokerOptions {
  /** App data folder; the broker uses `<dataDir>/broker/`. */
  readonly dataDir: string;
  /** Preferred port (default 8790); when taken, a free port is used instead. */
  readonly port?: number;
  /** Any other broker setting (heartbeat, retention, …). */
  readonly config?: Partial<BrokerConfigInput>;
  readonly log?: (line: string) => void;
}

/** A running embedded broker with in-process token sources. */
export interface EmbeddedBroker {
  readonly broker: Broker;
  /** Developer credentials of this install (for external consumers; never log the key). */
  readonly credentials: { readonly devId: string; readonly apiKey: string };
  /** Where the credentials are stored (mode 0600). */
  readonly credentialsPath: string;
  /** Fresh producer tokens for one user, minted in-process (no HTTP, no API key in the uplink). */
  userTokenSource(userId: string): TokenSource;
  /** Fresh consumer tokens, minted in-process (the in-app broker monitor). */
  consumerTokenSource(): TokenSource;
}

const credentialsSchema = z.object({ devId: z.string().min(1), apiKey: z.string().min(16) });

function loadOrCreateCredentials(path: string): Result<{ devId: string; apiKey: string }> {
  if (existsSync(path)) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      return fail('BROKER_BAD_CONFIG', `embedded broker credentials ${path} are unreadable (${(err as Error).message}); delete the file to create new ones`);
    }
    const parsed = credentialsSchema.safeParse(json);
    if (parsed.success) return ok(parsed.data);
    return fail('BROKER_BAD_CONFIG', `embedded broker credentials ${path} are invalid; delete the file to create new ones`);
  }
  const creds = { devId: 'local', apiKey: randomBytes(24).toString('base64url') };
  writeFileSync(path, JSON.stringify(creds), { mode: 0o600 });
  chmodSync(path, 0o600);
  return ok(creds);
}

/** Start the embedded broker on loopback. */
export async function startEmbeddedBroker(options: EmbeddedBrokerOptions): Promise<Result<EmbeddedBroker>> {
  const dir = join(options.dataDir, 'broker');
  makePrivateDir(dir);
  const credentialsPath = join(dir, 'credentials.json');
  const creds = loadOrCreateCredentials(credentialsPath);
  if (!creds.ok) return creds;
  const base: BrokerConfigInput = {
    ...options.config,
    host: '127.0.0.1',
    dataDir: join(dir, 'store'),
    developers: [{ ...creds.value, users: [], acceptAnyUser: true }],
  };
  let started = await createBroker({ ...base, port: options.port ?? 8790 }, options.log);
  if (!started.ok && started.code === 'BROKER_BAD_CONFIG' && /EADDRINUSE/.test(started.message)) {
    options.log?.(`port ${options.port ?? 8790} is taken; the embedded broker uses a free port instead`);
    started = await createBroker({ ...base, port: 0 }, options.log);
  }
  if (!started.ok) return started;
  const broker = started.value;
  const asSource = (mint: () => Result<string>): TokenSource => async () => {
    const r = mint();
    return r.ok ? { ok: true, token: r.value } : { ok: false, message: r.message, isFatal: true };
  };
  return ok({
    broker,
    credentials: creds.value,
    credentialsPath,
    userTokenSource: (userId) => asSource(() => broker.admin.mintUserToken(userId)),
    consumerTokenSource: () => asSource(() => broker.admin.mintDeveloperToken(creds.value.devId)),
  });
}

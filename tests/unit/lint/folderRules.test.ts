/** The folder rules of docs/architecture.md are enforced by the linter: a deliberate `import 'electron'` in src/shared fails. */
import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });
const fixture = readFileSync('tests/lint-fixtures/shared/importsElectron.ts', 'utf8');

async function messagesFor(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('lint folder rules', () => {
  it('fails an electron import and a Node built-in in src/shared', async () => {
    const messages = await messagesFor('src/shared/leak.ts', fixture);
    expect(messages.some((m) => m.includes("'electron'"))).toBe(true);
    expect(messages.some((m) => m.includes("'node:fs'"))).toBe(true);
  });

  it('fails an electron import in the host outside src/main/electron', async () => {
    const messages = await messagesFor('src/main/hubLeak.ts', "import { app } from 'electron';\nexport const a = app;\n");
    expect(messages.some((m) => m.includes('no-restricted-imports'))).toBe(true);
  });

  it('allows an electron import in src/main/electron', async () => {
    const messages = await messagesFor('src/main/electron/ok.ts', "import { app } from 'electron';\nexport const a = app;\n");
    expect(messages.filter((m) => m.includes('no-restricted-imports'))).toEqual([]);
  });

  it('fails Node built-ins in the renderer', async () => {
    const messages = await messagesFor('src/renderer/leak.ts', "import { readFileSync } from 'fs';\nexport const r = readFileSync;\n");
    expect(messages.some((m) => m.includes('no-restricted-imports'))).toBe(true);
  });

  it('keeps the client side (src/client) usable by the host and the consumer: it may not import src/main or src/broker, and no ws in src/shared', async () => {
    const intoMain = await messagesFor('src/client/leak.ts', "import { Uplink } from '../main/producer/uplink';\nexport const u = Uplink;\n");
    expect(intoMain.some((m) => m.includes('src/client is shared by the host and the consumer'))).toBe(true);
    const intoBroker = await messagesFor('src/client/leak.ts', "import { createBroker } from '../broker/broker';\nexport const b = createBroker;\n");
    expect(intoBroker.some((m) => m.includes('no-restricted-imports'))).toBe(true);
    const wsInShared = await messagesFor('src/shared/terra/client/leak.ts', "import { WebSocket } from 'ws';\nexport const w = WebSocket;\n");
    expect(wsInShared.some((m) => m.includes('no-restricted-imports'))).toBe(true);
    const consumerUsesClient = await messagesFor('src/broker/leak.ts', "import { wsOpener } from '../client/wsSocket';\nexport const o = wsOpener;\n");
    expect(consumerUsesClient.filter((m) => m.includes('no-restricted-imports'))).toEqual([]);
  });
});

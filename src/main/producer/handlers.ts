/** Host handlers of the broker contract section. */
import { CommandError, type HandlerSet } from '../contract/server';
import type { BrokerManager } from './manager';

/** `broker.*` handlers over a {@link BrokerManager}. */
export function brokerHandlers(manager: BrokerManager): HandlerSet<'broker.state' | 'broker.configure' | 'broker.testConnection'> {
  return {
    'broker.state': () => manager.state(),
    'broker.configure': async (args) => {
      const r = await manager.configure(args);
      if (!r.ok) throw new CommandError(r.code, r.message);
      return r.value;
    },
    'broker.testConnection': (args) => manager.testConnection(args.userId),
  };
}

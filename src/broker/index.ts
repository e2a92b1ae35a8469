/**
 * The standalone broker package: the Terra-compatible broker, its embedded (in-app) form, the
 * consumer library, and (re-exported from src/client) the client token sources. Plain Node.
 */
export { createBroker, STATUS_TTL_MS, type Broker, type BrokerAdmin, type BrokerStats, type UserStatus } from './broker';
export { brokerConfigSchema, parseBrokerConfig, DEV_CONFIG, type BrokerConfig, type BrokerConfigInput } from './config';
export { startEmbeddedBroker, type EmbeddedBroker, type EmbeddedBrokerOptions } from './embedded';
export { createConsumer, type Consumer, type ConsumerOptions, type ConsumerState, type ConsumerStats } from './consumer';
export {
  developerTokenSource,
  fetchToken,
  httpBaseOf,
  tokenUrlSource,
  userTokenSource,
  type TokenOutcome,
  type TokenSource,
} from '../client/tokenSources';

/**
 * The Terra streaming protocol codec (docs/broker-protocol.md): opcodes, typed frames with
 * zod-validated decoding and §4-exact encoding, the §5.5 role rules, the §8 close-code table and
 * the timing rules, token rules and the one client state machine (client/). Pure: no I/O, usable by
 * the host, the broker, the consumer and the UI.
 */
export * from './opcodes';
export * from './frames';
export * from './closeCodes';
export * from './roles';
export * from './timing';
export * from './tokens';
export * from './client/closeDecision';
export * from './client/terraClient';

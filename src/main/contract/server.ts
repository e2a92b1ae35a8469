/**
 * The host side of the contract: handlers typed on the command map (a missing handler fails
 * `tsc` where the full map is assembled), every call validated before it reaches a handler, and
 * every failure returned as a reply value — nothing is thrown across the boundary.
 */
import {
  callMessageSchema,
  COMMANDS,
  describeZodError,
  type CallMessage,
  type CommandArgs,
  type CommandName,
  type CommandResult,
  type Reply,
} from '../../shared/contract';
import { appError, type AppError } from '../../shared/errors';

/** Who is calling: the transport's connection. */
export interface CallContext {
  readonly clientId: string;
}

/** A handler of command `K`: may return the result or a promise of it; throw an {@link AppError}-like to fail. */
export type Handler<K extends CommandName> = (
  args: CommandArgs<K>,
  ctx: CallContext,
) => CommandResult<K> | Promise<CommandResult<K>>;

/** A partial set of handlers (one feature's). */
export type HandlerSet<K extends CommandName> = { readonly [P in K]: Handler<P> };

/** Every handler; assembling this object is where a missing handler fails the type check. */
export type Handlers = HandlerSet<CommandName>;

/** Error thrown inside handlers to fail a call with a code. */
export class CommandError extends Error implements AppError {
  constructor(
    readonly code: AppError['code'],
    message: string,
  ) {
    super(message);
  }
}

/** Dispatch one raw message from a UI; always resolves to a reply. */
export async function dispatchCall(
  handlers: Handlers,
  raw: unknown,
  ctx: CallContext,
): Promise<{ id: number; reply: Reply }> {
  const call = callMessageSchema.safeParse(raw);
  if (!call.success) {
    const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : -1;
    return { id, reply: failure(appError('CONTRACT_BAD_MESSAGE', `malformed call: ${describeZodError(call.error)}`)) };
  }
  return { id: call.data.id, reply: await runCall(handlers, call.data, ctx) };
}

/** Run a well-formed call: look up, validate args, run the handler. */
export async function runCall(handlers: Handlers, call: CallMessage, ctx: CallContext): Promise<Reply> {
  if (!Object.prototype.hasOwnProperty.call(COMMANDS, call.name)) {
    return failure(appError('CONTRACT_UNKNOWN_COMMAND', `unknown command "${call.name}"`));
  }
  const name = call.name as CommandName;
  const args = COMMANDS[name].args.safeParse(call.args ?? {});
  if (!args.success) {
    return failure(appError('CONTRACT_BAD_ARGS', `${name}: ${describeZodError(args.error)}`));
  }
  try {
    const handler = handlers[name] as (a: unknown, c: CallContext) => unknown;
    const value = await handler(args.data, ctx);
    return { ok: true, value: value === undefined ? null : value };
  } catch (err) {
    if (err instanceof CommandError) return failure(err);
    const message = err instanceof Error ? err.message : String(err);
    return failure(appError('CONTRACT_HANDLER_FAILED', `${name} failed: ${message}`));
  }
}

function failure(error: AppError): Reply {
  return { ok: false, code: error.code, message: error.message };
}

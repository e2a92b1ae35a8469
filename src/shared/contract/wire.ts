/**
 * Wire messages of the contract, the same over Electron IPC and the web-mode WebSocket.
 * Replies never throw across the boundary: `{ ok: true, value } | { ok: false, code, message }`.
 */
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../errors';

/** A call from the UI. */
export const callMessageSchema = z.object({
  kind: z.literal('call'),
  id: z.number().int().nonnegative(),
  name: z.string().max(80),
  args: z.unknown(),
});
/** A call from the UI. */
export type CallMessage = z.infer<typeof callMessageSchema>;

/** A reply to a call. */
export type Reply<T = unknown> = { ok: true; value: T } | { ok: false; code: ErrorCode; message: string };

/** Schema of a reply (value checked separately against the command's result schema). */
export const replySchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), code: z.enum(ERROR_CODES), message: z.string() }),
]);

/** A reply message from the host. */
export const replyMessageSchema = z.object({ kind: z.literal('reply'), id: z.number().int(), reply: replySchema });
/** An event message from the host. */
export const eventMessageSchema = z.object({ kind: z.literal('event'), name: z.string(), payload: z.unknown() });
/** Any message from the host to a UI. */
export const hostMessageSchema = z.union([replyMessageSchema, eventMessageSchema]);
/** Any message from the host to a UI. */
export type HostMessage = z.infer<typeof hostMessageSchema>;

/** Format a zod error as one readable line. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

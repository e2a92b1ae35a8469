/** The few runtime globals that exist in every process (browser, Node, Electron) and that pure code may use. */
declare const performance: { readonly timeOrigin: number; now(): number };
declare const console: { warn(...args: unknown[]): void; error(...args: unknown[]): void; log(...args: unknown[]): void };
declare function setTimeout(cb: () => void, ms?: number): unknown;
declare function clearTimeout(handle: unknown): void;
declare class TextEncoder { encode(input?: string): Uint8Array }
declare class TextDecoder { constructor(label?: string); decode(input?: ArrayBufferView | ArrayBuffer): string }
declare class URL { constructor(url: string, base?: string); readonly protocol: string; readonly hostname: string; readonly host: string }

/**
 * zod compiles object parsers with `new Function` when it may; it probes for that once, and the
 * probe is reported as a CSP violation (`script-src` forbids eval) even though zod catches it.
 * The UI runs without eval (src/shared/csp.ts), so zod runs in its interpreted mode here. Imported
 * first by main.tsx, before any schema parses.
 */
import { config } from 'zod';

config({ jitless: true });

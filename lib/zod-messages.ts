/**
 * English messages for zod/mini, which ships with none ("Invalid input" for everything).
 * Imported for this effect by lib/schemas.ts (every request's validation) and the CDK
 * configuration, so each caller of the service or its tools gets a clear message.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

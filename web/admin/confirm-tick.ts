// The confirmation every button that moves money or stops trading asks for, without JavaScript: a
// required tick box in the same form (the browser refuses to submit it unticked) that the server
// checks again, so a forged or scripted post without it changes nothing.
import { html } from 'hono/html';
import { z } from 'zod';
import type { Markup } from './layout.ts';

/** The tick box, placed before the form's button. */
export const confirmTick = (): Markup => html`<label><input type="checkbox" name="confirm" value="yes" required> confirm</label> `;

/** The field a form's schema checks: `confirm=yes`, else `message` beside the field's name. */
export const confirmField = (message: string) => z.string({ error: message }).refine((v) => v === 'yes', message);

// The end of `kraite run`'s start-up output: every URL and the first-run sign-ins in one block,
// and one line saying what to open first, so a new user finds them without reading log lines.

/** Where the started web apps listen (absent: not on this process). */
export interface StartupLinks {
  status?: string;
  admin?: string;
  console?: string;
  docs?: string;
  site?: string;
}

/** A sign-in made at first run, printed once. */
export interface FirstRunLogin {
  username: string;
  password: string;
  /** Why it is shown and how long it lasts. */
  note: string;
}

/** What the block is made of. */
export interface StartupBlock {
  links: StartupLinks;
  admin?: FirstRunLogin | null;
  console?: FirstRunLogin | null;
  /** Further facts a reader should know (a web feature that is off, and why). */
  notes?: string[];
}

const slash = (url: string) => `${url}/`;

/** The block's lines, in the order a reader needs them; empty when this process serves no page. */
export function startupBlock(b: StartupBlock): string[] {
  const { links } = b;
  if (!links.status && !links.admin && !links.console) return [];
  const lines = ['kraite is up:'];
  if (links.status) lines.push(`  status: ${slash(links.status)}  (health: ${links.status}/health; links to the admin and the console)`);
  if (links.admin) lines.push(`  admin: ${slash(links.admin)}  (operators: run the fleet)`);
  if (links.console) lines.push(`  console: ${slash(links.console)}  (traders: ${b.console ? 'the demo trader below' : 'kraite admin:create-trader'})`);
  if (links.docs || links.site) lines.push(`  site: ${links.site ? slash(links.site) : '-'}  docs: ${links.docs ? slash(links.docs) : '-'}`);
  if (b.admin) lines.push(`  admin first run: sign in as "${b.admin.username}" with password "${b.admin.password}" (${b.admin.note})`);
  if (b.console) lines.push(`  console first run: sign in as "${b.console.username}" with password "${b.console.password}" (${b.console.note})`);
  for (const note of b.notes ?? []) lines.push(`  ${note}`);
  const first = [
    links.console && `the console ${slash(links.console)} if you trade${b.console ? ` (sign in as "${b.console.username}")` : ''}`,
    links.admin && `the admin ${slash(links.admin)} if you operate the fleet${b.admin ? ` (sign in as "${b.admin.username}")` : ''}`,
  ].filter(Boolean);
  if (first.length) lines.push(`open first: ${first.join('; ')}.`);
  return lines;
}

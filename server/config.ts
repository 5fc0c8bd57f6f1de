/**
 * The server's configuration, read in ONE place: command-line flags, then TIDINGS_* environment
 * variables, then defaults. Every setting is declared once below; the parser, the validation and
 * `--help` are all generated from those declarations.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DURABILITY_MODES, type Durability } from './store/lowdb/durableFile.js';
import { DEFAULT_MAX_CATCHING_UP } from './realtime/admission.js';

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'expected a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `expected at least ${min}`).max(max, `expected at most ${max}`));

const onOff = z.enum(['on', 'off'], 'expected "on" or "off"').transform((value) => value === 'on');

const httpUrl = z
  .string()
  .refine(
    (value) => /^https?:\/\/[^/]/.test(value) && URL.canParse(value),
    'expected an http(s) URL',
  );

/** A URL with one of the given schemes, e.g. postgres://user@host/db. */
const urlWithScheme = (schemes: string[], expected: string) =>
  z
    .string()
    .refine(
      (value) => schemes.some((scheme) => value.startsWith(`${scheme}://`)) && URL.canParse(value),
      expected,
    );

const origins = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  )
  .pipe(z.array(httpUrl.transform((url) => new URL(url).origin)));

const hostNames = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((host) => host.trim().toLowerCase())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z
        .string()
        .regex(
          /^[a-z0-9.-]+$/,
          'expected host names like blog.example.org, without port or scheme',
        ),
    ),
  );

interface Setting<S extends z.ZodType> {
  flag: string;
  env: string;
  /** Shown in --help after the flag. */
  placeholder: string;
  help: string;
  default?: string;
  schema: S;
}

const setting = <S extends z.ZodType>(definition: Setting<S>): Setting<S> => definition;

/** Every server setting, once. */
export const SETTINGS = {
  host: setting({
    flag: 'host',
    env: 'TIDINGS_HOST',
    placeholder: 'ADDR',
    help: 'address to listen on (0.0.0.0 for all interfaces)',
    default: '127.0.0.1',
    schema: z.string().min(1, 'expected an address'),
  }),
  port: setting({
    flag: 'port',
    env: 'TIDINGS_PORT',
    placeholder: 'N',
    help: 'port to listen on; 0 picks a free one',
    default: '4300',
    schema: wholeNumber(0, 65535),
  }),
  dataDir: setting({
    flag: 'data-dir',
    env: 'TIDINGS_DATA_DIR',
    placeholder: 'DIR',
    help: 'where the data file lives (created when missing)',
    default: './data',
    schema: z
      .string()
      .min(1, 'expected a directory')
      .transform((dir) => resolve(dir)),
  }),
  databaseUrl: setting({
    flag: 'database-url',
    env: 'TIDINGS_DATABASE_URL',
    placeholder: 'URL',
    help: 'store everything in PostgreSQL (postgres://…) instead of the data file in --data-dir',
    schema: urlWithScheme(
      ['postgres', 'postgresql'],
      'expected a postgres:// or postgresql:// URL',
    ).optional(),
  }),
  publicUrl: setting({
    flag: 'public-url',
    env: 'TIDINGS_PUBLIC_URL',
    placeholder: 'URL',
    help: 'the URL users reach the server at (behind a reverse proxy); post links use it',
    schema: httpUrl.transform((url) => new URL(url).origin).optional(),
  }),
  allowedOrigins: setting({
    flag: 'allowed-origins',
    env: 'TIDINGS_ALLOWED_ORIGINS',
    placeholder: 'LIST',
    help: "comma-separated browser origins allowed besides the server's own",
    default: '',
    schema: origins,
  }),
  allowedHosts: setting({
    flag: 'allowed-hosts',
    env: 'TIDINGS_ALLOWED_HOSTS',
    placeholder: 'LIST',
    help: "comma-separated host names the server answers to besides its public URL's, localhost and IP addresses (against DNS rebinding)",
    default: '',
    schema: hostNames,
  }),
  durability: setting({
    flag: 'durability',
    env: 'TIDINGS_DURABILITY',
    placeholder: 'power|kill9',
    help: 'power: a change is acknowledged once fsync put it on disk (survives a power cut); kill9: once the kernel has it (survives the process only, costs no sync)',
    default: 'power',
    schema: z.enum(DURABILITY_MODES, 'expected "power" or "kill9"'),
  }),
  registration: setting({
    flag: 'registration',
    env: 'TIDINGS_REGISTRATION',
    placeholder: 'open|closed',
    help: 'open or close self-service sign-up at start (kept in the data file otherwise)',
    schema: z.enum(['open', 'closed'], 'expected "open" or "closed"').optional(),
  }),
  setupCode: setting({
    flag: 'setup-code',
    env: 'TIDINGS_SETUP_CODE',
    placeholder: 'CODE',
    help: 'the one-time code that lets the first sign-up become admin (random and printed in the log when unset; prefer the variable, flags show in ps)',
    schema: z.string().min(8, 'expected at least 8 characters').max(100).optional(),
  }),
  tokenIdleDays: setting({
    flag: 'token-idle-days',
    env: 'TIDINGS_TOKEN_IDLE_DAYS',
    placeholder: 'N',
    help: 'sign a device out after this many days without use',
    default: '90',
    schema: wholeNumber(1, 3650),
  }),
  trustProxy: setting({
    flag: 'trust-proxy',
    env: 'TIDINGS_TRUST_PROXY',
    placeholder: 'on|off',
    help: 'trust X-Forwarded-For from one reverse proxy in front (for per-IP limits); only when every request comes through that proxy',
    default: 'off',
    schema: onOff,
  }),
  rateLimits: setting({
    flag: 'rate-limits',
    env: 'TIDINGS_RATE_LIMITS',
    placeholder: 'on|off',
    help: 'rate limiting; turn off only for trusted load tests',
    default: 'on',
    schema: onOff,
  }),
  rateLogin: setting({
    flag: 'rate-login',
    env: 'TIDINGS_RATE_LOGIN',
    placeholder: 'N',
    help: 'login attempts per account per minute',
    default: '10',
    schema: wholeNumber(1, 1_000_000),
  }),
  rateLoginIp: setting({
    flag: 'rate-login-ip',
    env: 'TIDINGS_RATE_LOGIN_IP',
    placeholder: 'N',
    help: 'login attempts per IP address per minute',
    default: '30',
    schema: wholeNumber(1, 1_000_000),
  }),
  rateRegister: setting({
    flag: 'rate-register',
    env: 'TIDINGS_RATE_REGISTER',
    placeholder: 'N',
    help: 'registrations per IP address per hour',
    default: '20',
    schema: wholeNumber(1, 1_000_000),
  }),
  ratePublish: setting({
    flag: 'rate-publish',
    env: 'TIDINGS_RATE_PUBLISH',
    placeholder: 'N',
    help: 'posts published per user per minute',
    default: '20',
    schema: wholeNumber(1, 1_000_000),
  }),
  rateSocket: setting({
    flag: 'rate-socket',
    env: 'TIDINGS_RATE_SOCKET',
    placeholder: 'N',
    help: "requests one user's sockets may send per minute, all together",
    default: '120',
    schema: wholeNumber(1, 1_000_000),
  }),
  maxCatchingUp: setting({
    flag: 'max-catching-up',
    env: 'TIDINGS_MAX_CATCHING_UP',
    placeholder: 'N',
    help: 'sockets that may be between handshake and sync at once; more are told to retry later (reconnect storms)',
    default: String(DEFAULT_MAX_CATCHING_UP),
    schema: wholeNumber(1, 1_000_000),
  }),
  feedInterval: setting({
    flag: 'feed-interval',
    env: 'TIDINGS_FEED_INTERVAL',
    placeholder: 'SECONDS',
    help: 'how often each followed feed is polled, at least (minimum 60)',
    default: '900',
    schema: wholeNumber(60, 7 * 24 * 60 * 60),
  }),
  allowPrivateFeeds: setting({
    flag: 'allow-private-feeds',
    env: 'TIDINGS_ALLOW_PRIVATE_FEEDS',
    placeholder: 'on|off',
    help: 'let followed feeds live on loopback, private or link-local addresses',
    default: 'off',
    schema: onOff,
  }),
  feedTimeout: setting({
    flag: 'feed-timeout',
    env: 'TIDINGS_FEED_TIMEOUT',
    placeholder: 'SECONDS',
    help: 'how long one feed fetch may take, redirects included',
    default: '20',
    schema: wholeNumber(1, 300),
  }),
  rateHandshake: setting({
    flag: 'rate-handshake',
    env: 'TIDINGS_RATE_HANDSHAKE',
    placeholder: 'N',
    help: 'socket handshakes per IP address (IPv6: per /64) per minute',
    default: '60',
    schema: wholeNumber(1, 1_000_000),
  }),
  maxSocketsPerUser: setting({
    flag: 'max-sockets-per-user',
    env: 'TIDINGS_MAX_SOCKETS_PER_USER',
    placeholder: 'N',
    help: 'sockets one user may have open at once (devices and browser tabs)',
    default: '10',
    schema: wholeNumber(1, 100_000),
  }),
  metricsToken: setting({
    flag: 'metrics-token',
    env: 'TIDINGS_METRICS_TOKEN',
    placeholder: 'TOKEN',
    help: 'require "Authorization: Bearer TOKEN" on /metrics (at least 16 characters)',
    schema: z
      .string()
      .min(16, 'expected at least 16 characters')
      .max(200, 'expected at most 200 characters')
      .regex(/^[\x21-\x7e]+$/, 'expected printable ASCII without spaces')
      .optional(),
  }),
  passwordCost: setting({
    flag: 'password-cost',
    env: 'TIDINGS_PASSWORD_COST',
    placeholder: 'N',
    help: 'scrypt cost as log2(N); lower it only for tests and benchmarks',
    default: '15',
    schema: wholeNumber(10, 20),
  }),
  redisUrl: setting({
    flag: 'redis-url',
    env: 'TIDINGS_REDIS_URL',
    placeholder: 'URL',
    help: 'share one blog between several nodes through Redis (redis://…); needs --database-url',
    schema: z
      .string()
      .refine(
        (value) => /^rediss?:\/\/./.test(value) && URL.canParse(value),
        'expected a redis:// or rediss:// URL',
      )
      .optional(),
  }),
};

type Settings = typeof SETTINGS;
type SettingValues = { [K in keyof Settings]: z.output<Settings[K]['schema']> };

export interface RateLimitConfig {
  enabled: boolean;
  loginPerAccountPerMinute: number;
  loginPerIpPerMinute: number;
  registerPerIpPerHour: number;
  publishPerUserPerMinute: number;
  socketEventsPerMinute: number;
  handshakesPerIpPerMinute: number;
}

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  /** PostgreSQL instead of lowdb in dataDir. */
  databaseUrl: string | undefined;
  durability: Durability;
  publicUrl: string | undefined;
  allowedOrigins: readonly string[];
  allowedHosts: readonly string[];
  registration: 'open' | 'closed' | undefined;
  /** The operator's own setup code; a random one is made at start when unset. */
  setupCode: string | undefined;
  /** Days a device token may go unused before it is refused. */
  tokenIdleDays: number;
  trustProxy: boolean;
  passwordCost: number;
  maxCatchingUp: number;
  maxSocketsPerUser: number;
  metricsToken: string | undefined;
  rateLimits: Readonly<RateLimitConfig>;
  /** Several nodes share the blog through this Redis (docs/SCALING.md). */
  redisUrl: string | undefined;
  feeds: Readonly<FeedConfig>;
}

export interface FeedConfig {
  intervalSeconds: number;
  allowPrivate: boolean;
  timeoutSeconds: number;
}

export type AdminCommand =
  | { kind: 'users-add'; username: string; isAuthor: boolean; isAdmin: boolean }
  | { kind: 'users-make-author'; username: string }
  | { kind: 'tokens-revoke'; username: string }
  | { kind: 'registration'; open: boolean }
  | { kind: 'feeds-add'; url: string }
  | { kind: 'feeds-list' }
  | { kind: 'feeds-remove'; id: string };

/** Where an admin command finds the data: a lowdb data dir, or PostgreSQL when a URL is given. */
export interface StorageLocation {
  dataDir: string;
  databaseUrl: string | undefined;
}

export type Command =
  | { kind: 'help'; text: string }
  | { kind: 'serve'; config: ServerConfig }
  | ({
      kind: 'admin';
      command: AdminCommand;
      passwordCost: number;
      /** `feeds add` fetches the feed once, under the same rules as the server. */
      feeds: Readonly<FeedConfig>;
    } & StorageLocation)
  | { kind: 'migrate-to-postgres'; dataDir: string; databaseUrl: string };

/** A flag or variable the user got wrong; the CLI prints the message and exits 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export const PROGRAM = 'tidings-server';

const ADMIN_USAGE: [string, string][] = [
  ['users add NAME [--author] [--admin]', 'add a user; password from TIDINGS_PASSWORD or stdin'],
  ['users make-author NAME', 'let a user publish'],
  ['tokens revoke NAME', 'sign a user out of every device'],
  ['registration open|closed', 'open or close self-service sign-up'],
  ['feeds add URL', "follow another blog's feed (RSS, Atom or JSON Feed)"],
  ['feeds list', 'the followed feeds, their status and last error'],
  ['feeds remove ID', 'stop following a feed (its posts stay)'],
];

const MIGRATE_USAGE = 'migrate-to-postgres --data-dir DIR --database-url URL';

export function helpText(): string {
  const rows = Object.values(SETTINGS).map((s: Setting<z.ZodType>) => [
    `--${s.flag} ${s.placeholder}`,
    s.env,
    s.help + (s.default ? ` (default ${s.default})` : ''),
  ]);
  const width = (column: number) => Math.max(...rows.map((row) => row[column]?.length ?? 0)) + 2;
  const [w0, w1] = [width(0), width(1)];
  const adminWidth = Math.max(...ADMIN_USAGE.map(([usage]) => usage.length)) + 2;
  return [
    `Usage: ${PROGRAM} [serve] [options]`,
    `       ${PROGRAM} <admin command> [--data-dir DIR | --database-url URL]`,
    `       ${PROGRAM} ${MIGRATE_USAGE}`,
    '',
    'Serves the Tidings API, realtime notifications and blog pages.',
    '',
    'Options (flag, environment variable, meaning):',
    ...rows.map(
      ([flag = '', env = '', help = '']) => `  ${flag.padEnd(w0)}${env.padEnd(w1)}${help}`,
    ),
    `  ${'--help'.padEnd(w0)}${''.padEnd(w1)}show this text`,
    '',
    'Admin commands (with --data-dir while the server is stopped; with --database-url at any time):',
    ...ADMIN_USAGE.map(([usage, help]) => `  ${usage.padEnd(adminWidth)}${help}`),
    '',
    'Moving to PostgreSQL:',
    `  ${MIGRATE_USAGE}`,
    '      copy a lowdb blog into an empty PostgreSQL database (stop the server first)',
    '',
  ].join('\n');
}

type Env = Record<string, string | undefined>;

function describeFlagError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // parseArgs appends advice about "--" that does not help here: keep its first sentence.
  return message.split('. ')[0] ?? message;
}

function readSettings(
  flags: Record<string, string | boolean | undefined>,
  env: Env,
  keys: (keyof Settings)[],
): Partial<SettingValues> {
  const raw: Record<string, string | undefined> = {};
  for (const key of keys) {
    const s: Setting<z.ZodType> = SETTINGS[key];
    const flagValue = flags[s.flag];
    raw[key] = typeof flagValue === 'string' ? flagValue : (env[s.env] ?? s.default);
  }
  const shape = Object.fromEntries(keys.map((key) => [key, SETTINGS[key].schema]));
  const result = z.object(shape).safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = issue?.path[0] as keyof Settings | undefined;
    const s = key ? SETTINGS[key] : undefined;
    const where = s ? `--${s.flag} (or ${s.env}) "${raw[key as string] ?? ''}"` : 'a setting';
    throw new ConfigError(`${where}: ${issue?.message ?? 'invalid value'}`);
  }
  return result.data as Partial<SettingValues>;
}

function stringOptions(keys: (keyof Settings)[]) {
  return Object.fromEntries(keys.map((key) => [SETTINGS[key].flag, { type: 'string' as const }]));
}

const SERVE_KEYS = Object.keys(SETTINGS) as (keyof Settings)[];
const ADMIN_KEYS: (keyof Settings)[] = [
  'dataDir',
  'databaseUrl',
  'passwordCost',
  'feedInterval',
  'allowPrivateFeeds',
  'feedTimeout',
];
const MIGRATE_KEYS: (keyof Settings)[] = ['dataDir', 'databaseUrl'];
const ADMIN_WORDS = new Set(['users', 'tokens', 'registration', 'feeds']);
const MIGRATE_WORD = 'migrate-to-postgres';

function parseServe(args: string[], env: Env): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { ...stringOptions(SERVE_KEYS), help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new ConfigError(describeFlagError(error));
  }
  if (parsed.values.help) return { kind: 'help', text: helpText() };
  const values = readSettings(parsed.values, env, SERVE_KEYS) as SettingValues;
  if (values.redisUrl !== undefined && values.databaseUrl === undefined) {
    // The lowdb file belongs to one process: nodes can only share a blog kept in PostgreSQL.
    throw new ConfigError(
      '--redis-url (or TIDINGS_REDIS_URL) needs --database-url: several nodes share one blog ' +
        'only through PostgreSQL, the data file in --data-dir belongs to one node',
    );
  }
  const config: ServerConfig = {
    host: values.host,
    port: values.port,
    dataDir: values.dataDir,
    databaseUrl: values.databaseUrl,
    durability: values.durability,
    publicUrl: values.publicUrl,
    allowedOrigins: Object.freeze([...values.allowedOrigins]),
    allowedHosts: Object.freeze([...values.allowedHosts]),
    registration: values.registration,
    setupCode: values.setupCode,
    tokenIdleDays: values.tokenIdleDays,
    trustProxy: values.trustProxy,
    passwordCost: values.passwordCost,
    maxCatchingUp: values.maxCatchingUp,
    maxSocketsPerUser: values.maxSocketsPerUser,
    metricsToken: values.metricsToken,
    rateLimits: Object.freeze({
      enabled: values.rateLimits,
      loginPerAccountPerMinute: values.rateLogin,
      loginPerIpPerMinute: values.rateLoginIp,
      registerPerIpPerHour: values.rateRegister,
      publishPerUserPerMinute: values.ratePublish,
      socketEventsPerMinute: values.rateSocket,
      handshakesPerIpPerMinute: values.rateHandshake,
    }),
    feeds: Object.freeze({
      intervalSeconds: values.feedInterval,
      allowPrivate: values.allowPrivateFeeds,
      timeoutSeconds: values.feedTimeout,
    }),
    redisUrl: values.redisUrl,
  };
  return { kind: 'serve', config: Object.freeze(config) };
}

function parseAdmin(args: string[], env: Env): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        ...stringOptions(ADMIN_KEYS),
        author: { type: 'boolean' },
        admin: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new ConfigError(describeFlagError(error));
  }
  if (parsed.values.help) return { kind: 'help', text: helpText() };
  const command = parseAdminWords(parsed.positionals, parsed.values);
  const values = readSettings(parsed.values, env, ADMIN_KEYS) as Pick<
    SettingValues,
    | 'dataDir'
    | 'databaseUrl'
    | 'passwordCost'
    | 'feedInterval'
    | 'allowPrivateFeeds'
    | 'feedTimeout'
  >;
  return Object.freeze({
    kind: 'admin',
    command: Object.freeze(command),
    dataDir: values.dataDir,
    databaseUrl: values.databaseUrl,
    passwordCost: values.passwordCost,
    feeds: Object.freeze({
      intervalSeconds: values.feedInterval,
      allowPrivate: values.allowPrivateFeeds,
      timeoutSeconds: values.feedTimeout,
    }),
  });
}

function parseMigrate(args: string[], env: Env): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { ...stringOptions(MIGRATE_KEYS), help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new ConfigError(describeFlagError(error));
  }
  if (parsed.values.help) return { kind: 'help', text: helpText() };
  const [, ...extra] = parsed.positionals;
  if (extra.length > 0) {
    throw new ConfigError(`unexpected "${extra.join(' ')}"; usage: ${PROGRAM} ${MIGRATE_USAGE}`);
  }
  // Both are required here: a default data dir could copy the wrong blog.
  const flags: Record<string, string | boolean | undefined> = parsed.values;
  const given = (key: 'dataDir' | 'databaseUrl') =>
    typeof flags[SETTINGS[key].flag] === 'string' || env[SETTINGS[key].env] !== undefined;
  for (const key of ['dataDir', 'databaseUrl'] as const) {
    if (!given(key)) {
      throw new ConfigError(
        `${MIGRATE_WORD} needs --${SETTINGS[key].flag}; usage: ${PROGRAM} ${MIGRATE_USAGE}`,
      );
    }
  }
  const values = readSettings(parsed.values, env, MIGRATE_KEYS) as Pick<
    SettingValues,
    'dataDir' | 'databaseUrl'
  >;
  return Object.freeze({
    kind: MIGRATE_WORD,
    dataDir: values.dataDir,
    databaseUrl: values.databaseUrl as string,
  });
}

function parseAdminWords(
  words: string[],
  flags: { author?: boolean | undefined; admin?: boolean | undefined },
): AdminCommand {
  const [group, action, name, ...extra] = words;
  const usage = ADMIN_USAGE.find(([line]) => line.startsWith(`${group} ${action ?? ''}`.trim()));
  const fail = (why: string): never => {
    throw new ConfigError(`${why}; usage: ${PROGRAM} ${usage?.[0] ?? '<admin command>'}`);
  };
  if (group !== 'users' && (flags.author || flags.admin)) {
    fail('--author and --admin belong to "users add"');
  }
  if (group === 'registration') {
    if (action !== 'open' && action !== 'closed') fail('expected "open" or "closed"');
    if (name !== undefined) fail(`unexpected "${name}"`);
    return { kind: 'registration', open: action === 'open' };
  }
  if (group === 'feeds') {
    if (action === 'list') {
      if (name !== undefined) fail(`unexpected "${name}"`);
      return { kind: 'feeds-list' };
    }
    if (extra.length > 0) fail(`unexpected "${extra.join(' ')}"`);
    if (action === 'add') return name ? { kind: 'feeds-add', url: name } : fail('expected a URL');
    if (action === 'remove') {
      return name ? { kind: 'feeds-remove', id: name } : fail('expected a feed id');
    }
    return fail(`unknown command "${words.join(' ')}"`);
  }
  if (extra.length > 0) fail(`unexpected "${extra.join(' ')}"`);
  if (!name) return fail('expected a user name');
  if (group === 'users' && action === 'add') {
    return { kind: 'users-add', username: name, isAuthor: !!flags.author, isAdmin: !!flags.admin };
  }
  if (flags.author || flags.admin) fail('--author and --admin belong to "users add"');
  if (group === 'users' && action === 'make-author') {
    return { kind: 'users-make-author', username: name };
  }
  if (group === 'tokens' && action === 'revoke') return { kind: 'tokens-revoke', username: name };
  return fail(`unknown command "${words.join(' ')}"`);
}

/** The first word that is not an option or an option's value: the command, if any. */
function commandWord(argv: string[]): { word: string; index: number } | undefined {
  const options = {
    ...stringOptions(SERVE_KEYS),
    author: { type: 'boolean' as const },
    admin: { type: 'boolean' as const },
    help: { type: 'boolean' as const, short: 'h' },
  };
  const { tokens } = parseArgs({
    args: argv,
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  // After an unknown option nothing can be told apart; the strict parse reports the option.
  if (tokens.some((token) => token.kind === 'option' && !(token.name in options))) return undefined;
  const first = tokens.find((token) => token.kind === 'positional');
  return first?.kind === 'positional' ? { word: first.value, index: first.index } : undefined;
}

/** Reads argv (without node and the script) and the environment into one typed, frozen command. */
export function parseCommandLine(argv: string[], env: Env): Command {
  const command = commandWord(argv);
  if (command === undefined) return parseServe(argv, env);
  if (command.word === 'help') return { kind: 'help', text: helpText() };
  if (command.word === 'serve') return parseServe(argv.toSpliced(command.index, 1), env);
  if (ADMIN_WORDS.has(command.word)) return parseAdmin(argv, env);
  if (command.word === MIGRATE_WORD) return parseMigrate(argv, env);
  throw new ConfigError(`unknown command "${command.word}"`);
}

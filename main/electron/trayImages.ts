/**
 * Which committed PNG in assets/ shows a given badge, per OS and panel colour. Pure, so the test can
 * check that every file it could ever pick exists. scripts/generate-icons.ts draws them all; the
 * names below are the one list both sides use.
 *
 * Linux and Windows get the count drawn into the image. macOS gets a monochrome template image
 * (the OS tints it for the menu bar) and shows the count as the tray title instead.
 * Each file has an `@2x` sibling next to it, which nativeImage.createFromPath picks up on HiDPI.
 */
import type { ConnectionStatus } from '../../contract/ipc.js';

export const BADGE_COUNT_STATES = [
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  '9plus',
] as const;
export const TRAY_STATES = [...BADGE_COUNT_STATES, 'offline', 'signed-out'] as const;
export type TrayState = (typeof TRAY_STATES)[number];

export const PANELS = ['light', 'dark', 'any'] as const;
/**
 * A light panel gets a dark glyph and vice versa. 'any' is for a panel whose colour the app cannot
 * know (Linux: the GNOME, KDE or xfce panel theme is not what nativeTheme reports): a light glyph
 * with a dark outline, which reads on both.
 */
export type Panel = (typeof PANELS)[number];

/**
 * The image set a tray on this OS uses. Windows reports the taskbar's own theme
 * (`shouldUseDarkColorsForSystemIntegratedUI`), which Windows 10 keeps dark while apps are light;
 * Linux has no such signal, so it gets the set that reads on either.
 */
export function trayPanelFor(platform: NodeJS.Platform, darkSystemUi: boolean): Panel {
  if (platform === 'linux') return 'any';
  return darkSystemUi ? 'dark' : 'light';
}

export const MAC_TEMPLATE_STATES = ['normal', 'offline', 'signed-out'] as const;
export type MacTemplateState = (typeof MAC_TEMPLATE_STATES)[number];

/** Windows taskbar overlay badges: only for a count above zero. */
export const OVERLAY_STATES = BADGE_COUNT_STATES.filter((state) => state !== '0');

/** The app icon sizes electron-builder and the OSes want (Linux reads the directory). */
export const APP_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512] as const;

/** 1x size of tray and overlay images; the @2x files are twice this. */
export const TRAY_IMAGE_SIZE = 16;

export interface BadgeState {
  unreadCount: number;
  status: ConnectionStatus['state'];
}

/** The state a badge shows: the warning mark wins over grey, and grey over the count. */
export function trayStateFor(badge: BadgeState): TrayState {
  if (badge.status === 'signed-out' || badge.status === 'server-incompatible') return 'signed-out';
  if (badge.status === 'offline' || badge.status === 'waiting-for-keychain') return 'offline';
  return countState(badge.unreadCount);
}

export function countState(unreadCount: number): (typeof BADGE_COUNT_STATES)[number] {
  if (!Number.isFinite(unreadCount) || unreadCount <= 0) return '0';
  if (unreadCount > 9) return '9plus';
  return String(Math.floor(unreadCount)) as (typeof BADGE_COUNT_STATES)[number];
}

/** What macOS shows next to its template icon: the count, or nothing. */
export function macTrayTitle(badge: BadgeState): string {
  const state = trayStateFor(badge);
  if (state === 'offline' || state === 'signed-out' || badge.unreadCount <= 0) return '';
  return badge.unreadCount > 99 ? '99+' : String(badge.unreadCount);
}

export function macTemplateStateFor(badge: BadgeState): MacTemplateState {
  const state = trayStateFor(badge);
  return state === 'offline' || state === 'signed-out' ? state : 'normal';
}

/** Paths relative to the assets directory. */
export const assetFiles = {
  tray: (panel: Panel, state: TrayState): string => `tray/${panel}/tray-${state}.png`,
  // macOS treats a file whose name ends in "Template" as a template image.
  macTemplate: (state: MacTemplateState): string => `tray/mac/tray-${state}Template.png`,
  overlay: (state: (typeof OVERLAY_STATES)[number]): string => `overlay/overlay-${state}.png`,
  appIcon: (size: number): string => `icons/${size}x${size}.png`,
  /** The icon notifications and windows use. */
  appIconMain: 'icons/256x256.png',
} as const;

/** The @2x sibling of a 1x asset path. */
export function retinaVariant(path: string): string {
  return path.replace(/\.png$/, '@2x.png');
}

/** Every tray-related file the app may load at 1x; each also has its @2x variant. */
export function allScaledAssetFiles(): string[] {
  return [
    ...PANELS.flatMap((panel) => TRAY_STATES.map((state) => assetFiles.tray(panel, state))),
    ...MAC_TEMPLATE_STATES.map((state) => assetFiles.macTemplate(state)),
    ...OVERLAY_STATES.map((state) => assetFiles.overlay(state)),
  ];
}

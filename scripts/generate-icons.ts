#!/usr/bin/env -S node --import tsx
/**
 * `npm run icons`: draws every tray, overlay and app icon as SVG and renders it to PNG in Debian's
 * Chromium (Playwright), at 1x and 2x. The PNGs are committed in assets/, so building and packaging
 * never need a browser; run this again after changing a drawing below.
 *
 * The file names come from main/electron/trayImages.ts, the same list the app loads from.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright';
import {
  APP_ICON_SIZES,
  MAC_TEMPLATE_STATES,
  OVERLAY_STATES,
  PANELS,
  TRAY_IMAGE_SIZE,
  TRAY_STATES,
  assetFiles,
  retinaVariant,
  type MacTemplateState,
  type Panel,
  type TrayState,
} from '../main/electron/trayImages.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
// `--out DIR` renders somewhere else (the tray image test renders a fresh set into a temp dir).
const { values: flags } = parseArgs({ options: { out: { type: 'string' } } });
const ASSETS = resolve(flags.out ?? join(ROOT, 'assets'));

const BADGE_RED = '#d93025';
const GLYPH = { light: '#202124', dark: '#f1f3f4', any: '#f1f3f4' } as const;
const GREYED = { light: '#80868b', dark: '#9aa0a6', any: '#bdc1c6' } as const;
/** The 'any' set's outline: a light glyph ringed in near-black reads on light and dark panels. */
const OUTLINE = '#202124';
const WARNING = '#f9ab00';
const FONT = "'DejaVu Sans', 'Liberation Sans', sans-serif";

// A bell on a 16-unit grid: body and clapper. Kept inside 1..15 so it survives a 1 px cut-out.
const BELL =
  'M8 1.3c-.6 0-1 .4-1 1v.5C5.1 3.2 3.7 4.9 3.7 7v3.1L2.3 11.6v.9h11.4v-.9L12.3 10.1V7c0-2.1-1.4-3.8-3.3-4.2v-.5c0-.6-.4-1-1-1z';
const CLAPPER = 'M6.3 13.4a1.7 1.7 0 0 0 3.4 0z';

/** A label ("3", "9+") in a red circle or pill, anchored at the bottom-right corner. */
function badge(label: string): { shape: string; cutout: string } {
  const wide = label.length > 1;
  const [x, y, w, h] = wide ? [5.2, 7.4, 10.8, 8.6] : [7, 7, 9, 9];
  const r = h / 2;
  const text = `<text x="${x + w / 2}" y="${y + h / 2 + 0.35}" text-anchor="middle" dominant-baseline="central"
    font-family="${FONT}" font-weight="bold" font-size="${wide ? 7.4 : 8.2}" fill="#fff"
    letter-spacing="${wide ? -0.4 : 0}">${label}</text>`;
  return {
    shape: `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${r}" fill="${BADGE_RED}"/>${text}`,
    cutout: `<rect x="${x - 1}" y="${y - 1}" width="${w + 2}" height="${h + 2}" rx="${r + 1}" fill="#000"/>`,
  };
}

/** A warning triangle with "!", bottom-right: the signed-out mark. */
function warning(fill: string, mark: string, edge = fill): { shape: string; cutout: string } {
  return {
    shape: `<path d="M11.5 6.9 15.6 15.1H7.4z" fill="${fill}" stroke="${edge}" stroke-width="${edge === fill ? 0.6 : 1}" stroke-linejoin="round"/>
      <rect x="11" y="9.3" width="1" height="3.2" fill="${mark}"/><rect x="11" y="13.2" width="1" height="1" fill="${mark}"/>`,
    cutout: `<path d="M11.5 5 17.4 16.4H5.6z" fill="#000"/>`,
  };
}

/** A diagonal slash across the bell: the offline mark, readable even without colour. */
function slash(colour: string): { shape: string; cutout: string } {
  return {
    shape: `<path d="M2 2 14.5 14.5" stroke="${colour}" stroke-width="1.5" stroke-linecap="round"/>`,
    cutout: `<path d="M2 2 14.5 14.5" stroke="#000" stroke-width="3.5" stroke-linecap="round"/>`,
  };
}

function bellWith(
  colour: string,
  mark?: { shape: string; cutout: string },
  outline?: string,
): string {
  const mask = mark
    ? `<mask id="m"><rect width="16" height="16" fill="#fff"/>${mark.cutout}</mask>`
    : '';
  // The outline is painted under the fill, so it only adds a ring round the glyph.
  const stroke = outline
    ? `stroke="${outline}" stroke-width="1.3" stroke-linejoin="round" paint-order="stroke"`
    : '';
  return `${mask}<g ${mark ? 'mask="url(#m)"' : ''} fill="${colour}" ${stroke}><path d="${BELL}"/><path d="${CLAPPER}"/></g>${mark?.shape ?? ''}`;
}

function traySvg(panel: Panel, state: TrayState): string {
  const outline = panel === 'any' ? OUTLINE : undefined;
  if (state === 'offline') return bellWith(GREYED[panel], slash(GREYED[panel]), outline);
  if (state === 'signed-out')
    return bellWith(GLYPH[panel], warning(WARNING, '#202124', outline ?? WARNING), outline);
  if (state === '0') return bellWith(GLYPH[panel], undefined, outline);
  return bellWith(GLYPH[panel], badge(state === '9plus' ? '9+' : state), outline);
}

/** macOS template images: black plus alpha only; the OS tints them for the menu bar. */
function macTemplateSvg(state: MacTemplateState): string {
  if (state === 'offline') return `<g opacity=".45">${bellWith('#000', slash('#000'))}</g>`;
  if (state === 'signed-out') {
    // In a template the "!" is a hole, since there is only one colour to draw with.
    const mark = warning('#000', '#000');
    return bellWith('#000', {
      cutout: mark.cutout,
      shape: `<mask id="w"><rect width="16" height="16" fill="#fff"/><rect x="11" y="9.3" width="1" height="3.2" fill="#000"/><rect x="11" y="13.2" width="1" height="1" fill="#000"/></mask><path mask="url(#w)" d="M11.5 6.9 15.6 15.1H7.4z" fill="#000" stroke="#000" stroke-width=".6" stroke-linejoin="round"/>`,
    });
  }
  return bellWith('#000');
}

/** Windows taskbar overlay: just the red badge, filling its 16 px square. */
function overlaySvg(state: (typeof OVERLAY_STATES)[number]): string {
  const label = state === '9plus' ? '9+' : state;
  return `<circle cx="8" cy="8" r="7.6" fill="${BADGE_RED}"/>
    <text x="8" y="8.5" text-anchor="middle" dominant-baseline="central" font-family="${FONT}"
      font-weight="bold" font-size="${label.length > 1 ? 8.5 : 10.5}" fill="#fff"
      letter-spacing="${label.length > 1 ? -0.5 : 0}">${label}</text>`;
}

/** The app icon: a white bell on a rounded blue square. */
function appIconSvg(): string {
  return `<defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1">
      <stop offset="0" stop-color="#4f8df7"/><stop offset="1" stop-color="#1a5fd6"/></linearGradient></defs>
    <rect x=".6" y=".6" width="14.8" height="14.8" rx="3.4" fill="url(#g)"/>
    <g transform="translate(2.2 2.1) scale(.73)" fill="#fff"><path d="${BELL}"/><path d="${CLAPPER}"/></g>`;
}

/** One page per scale factor, reused for every image: a fresh context per image is much slower. */
type Renderer = (svgBody: string, cssSize: number, scale: 1 | 2) => Promise<Buffer>;

async function createRenderer(browser: Browser): Promise<Renderer> {
  const pages = new Map<number, Page>();
  for (const scale of [1, 2]) {
    const context = await browser.newContext({ deviceScaleFactor: scale });
    pages.set(scale, await context.newPage());
  }
  return async (svgBody, cssSize, scale) => {
    const page = pages.get(scale);
    if (!page) throw new Error(`no page for scale ${scale}`);
    await page.setViewportSize({ width: Math.max(cssSize, 16), height: Math.max(cssSize, 16) });
    await page.setContent(
      `<!doctype html><html><body style="margin:0;background:transparent">
        <svg xmlns="http://www.w3.org/2000/svg" width="${cssSize}" height="${cssSize}" viewBox="0 0 16 16"
          style="display:block" shape-rendering="geometricPrecision">${svgBody}</svg></body></html>`,
    );
    return page.screenshot({
      omitBackground: true,
      clip: { x: 0, y: 0, width: cssSize, height: cssSize },
    });
  };
}

async function save(relative: string, png: Buffer): Promise<void> {
  const path = join(ASSETS, relative);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, png);
}

async function saveScaled(render: Renderer, relative: string, svgBody: string): Promise<void> {
  await save(relative, await render(svgBody, TRAY_IMAGE_SIZE, 1));
  await save(retinaVariant(relative), await render(svgBody, TRAY_IMAGE_SIZE, 2));
}

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  try {
    const render = await createRenderer(browser);
    let count = 0;
    for (const panel of PANELS) {
      for (const state of TRAY_STATES) {
        await saveScaled(render, assetFiles.tray(panel, state), traySvg(panel, state));
        count += 2;
      }
    }
    for (const state of MAC_TEMPLATE_STATES) {
      await saveScaled(render, assetFiles.macTemplate(state), macTemplateSvg(state));
      count += 2;
    }
    for (const state of OVERLAY_STATES) {
      await saveScaled(render, assetFiles.overlay(state), overlaySvg(state));
      count += 2;
    }
    for (const size of APP_ICON_SIZES) {
      await save(assetFiles.appIcon(size), await render(appIconSvg(), size, 1));
      count += 1;
    }
    // electron-builder's default name for the macOS and Windows icon source (it converts it).
    await save('icon.png', await render(appIconSvg(), 512, 2));
    count += 1;
    console.log(`wrote ${count} PNGs to ${ASSETS}`);
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(`generate-icons: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

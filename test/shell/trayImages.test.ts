/**
 * The tray's badge images: every state the app can show exists at 1x and 2x with the right pixel
 * size and an alpha channel (so it sits on any panel), and a different count is a different image.
 * The PNGs are the committed output of `npm run icons` (scripts/generate-icons.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { Browser } from 'playwright';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  APP_ICON_SIZES,
  BADGE_COUNT_STATES,
  PANELS,
  TRAY_IMAGE_SIZE,
  TRAY_STATES,
  allScaledAssetFiles,
  assetFiles,
  macTemplateStateFor,
  macTrayTitle,
  retinaVariant,
  trayPanelFor,
  trayStateFor,
  type TrayState,
} from '../../main/electron/trayImages.js';
import { launchChromium } from '../fixtures/chromium.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const COMMITTED = join(ROOT, 'assets');

interface PngHeader {
  width: number;
  height: number;
  colourType: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Reads the IHDR chunk, which the PNG format requires to come first. */
async function readPngHeader(dir: string, relative: string): Promise<PngHeader> {
  const bytes = await readFile(join(dir, relative));
  assert.ok(bytes.subarray(0, 8).equals(PNG_SIGNATURE), `${relative} is not a PNG`);
  assert.equal(bytes.toString('latin1', 12, 16), 'IHDR', `${relative} has no IHDR first`);
  return {
    width: bytes.readUInt32BE(16),
    height: bytes.readUInt32BE(20),
    colourType: bytes[25] ?? -1,
  };
}

/** The same checks for the committed set and for one rendered now by the generator. */
function checkImageSet(dir: () => string): void {
  test('every tray, template and overlay image exists at 1x (16 px) and 2x (32 px), with alpha', async () => {
    const files = allScaledAssetFiles();
    assert.ok(files.length >= PANELS.length * TRAY_STATES.length, 'the list of images looks short');
    for (const file of files) {
      for (const [path, size] of [
        [file, TRAY_IMAGE_SIZE],
        [retinaVariant(file), TRAY_IMAGE_SIZE * 2],
      ] as const) {
        const header = await readPngHeader(dir(), path);
        assert.deepEqual([header.width, header.height], [size, size], `${path} size`);
        // 6 = truecolour with alpha: a transparent background works on light and dark panels.
        assert.equal(header.colourType, 6, `${path} must have an alpha channel`);
      }
    }
  });

  test('the app icon exists at every size the packagers use', async () => {
    for (const size of APP_ICON_SIZES) {
      const header = await readPngHeader(dir(), assetFiles.appIcon(size));
      assert.deepEqual([header.width, header.height], [size, size], `icon ${size}`);
    }
    const main = await readPngHeader(dir(), 'icon.png');
    assert.ok(main.width >= 512 && main.width === main.height, 'icon.png must be square, ≥ 512 px');
  });

  test('each count, and offline and signed-out, looks different from every other state', async () => {
    for (const panel of PANELS) {
      for (const suffix of ['', '@2x']) {
        const seen = new Map<string, string>();
        for (const state of TRAY_STATES) {
          const path = assetFiles.tray(panel, state).replace(/\.png$/, `${suffix}.png`);
          const bytes = (await readFile(join(dir(), path))).toString('base64');
          assert.ok(!seen.has(bytes), `${path} is identical to ${seen.get(bytes)}`);
          seen.set(bytes, path);
        }
      }
    }
    // The panels' images differ too (dark glyph on light, light glyph on dark, outlined for any).
    const light = await readFile(join(dir(), assetFiles.tray('light', '3')));
    const dark = await readFile(join(dir(), assetFiles.tray('dark', '3')));
    assert.ok(!light.equals(dark), 'light and dark panel images must differ');
    const any = await readFile(join(dir(), assetFiles.tray('any', '3')));
    assert.ok(!any.equals(dark) && !any.equals(light), 'the outlined set is its own');
  });
}

describe('the committed images in assets/', () => checkImageSet(() => COMMITTED));

describe('a set rendered now by scripts/generate-icons.ts (Chromium)', () => {
  let fresh = '';
  before(async () => {
    fresh = await mkdtemp(join(tmpdir(), 'tidings-icons-'));
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'scripts', 'generate-icons.ts'), '--out', fresh],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
    );
    assert.equal(run.status, 0, `generate-icons failed: ${run.stderr}${run.stdout}`);
  });
  after(async () => {
    if (fresh) await rm(fresh, { recursive: true, force: true });
  });
  checkImageSet(() => fresh);
});

test('the badge shows nothing at 0, the count up to 9, then "9+"; offline greys, signed-out warns', () => {
  const online = (unreadCount: number) => trayStateFor({ unreadCount, status: 'online' });
  assert.equal(online(0), '0');
  assert.equal(online(1), '1');
  assert.equal(online(9), '9');
  assert.equal(online(10), '9plus');
  assert.equal(online(12_345), '9plus');
  assert.equal(online(-1), '0');
  assert.deepEqual(
    BADGE_COUNT_STATES.map((_, n) => online(n)),
    ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '9plus'],
  );
  assert.equal(trayStateFor({ unreadCount: 4, status: 'offline' }), 'offline');
  assert.equal(trayStateFor({ unreadCount: 4, status: 'signed-out' }), 'signed-out');
  assert.equal(trayStateFor({ unreadCount: 0, status: 'server-incompatible' }), 'signed-out');
  // Connecting keeps the last count rather than flashing grey at every start.
  assert.equal(trayStateFor({ unreadCount: 2, status: 'connecting' }), '2');
});

test('macOS shows the count as the tray title next to a template image', () => {
  assert.equal(macTrayTitle({ unreadCount: 0, status: 'online' }), '');
  assert.equal(macTrayTitle({ unreadCount: 3, status: 'online' }), '3');
  assert.equal(macTrayTitle({ unreadCount: 250, status: 'online' }), '99+');
  assert.equal(macTrayTitle({ unreadCount: 3, status: 'offline' }), '');
  assert.equal(macTemplateStateFor({ unreadCount: 3, status: 'online' }), 'normal');
  assert.equal(macTemplateStateFor({ unreadCount: 3, status: 'signed-out' }), 'signed-out');
  assert.match(assetFiles.macTemplate('normal'), /Template\.png$/);
});

/**
 * Runs in Chromium (plain JS, as the page sees it): decodes the PNG, blends each pixel over the
 * panel colour, and counts those with a WCAG contrast of at least 3:1 against the panel.
 */
const COUNT_STANDING_OUT = `async (png, panel) => {
  const image = new Image();
  image.src = 'data:image/png;base64,' + png;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  const data = context.getImageData(0, 0, image.width, image.height).data;
  const channel = (v) => { const c = v / 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const luminance = (rgb) => 0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
  const background = luminance(panel);
  let count = 0;
  for (let i = 0; i < data.length; i += 4) {
    const alpha = data[i + 3] / 255;
    if (alpha < 0.5) continue;
    const shown = [0, 1, 2].map((c) => data[i + c] * alpha + panel[c] * (1 - alpha));
    const [hi, lo] = [luminance(shown), background].sort((a, b) => b - a);
    if ((hi + 0.05) / (lo + 0.05) >= 3) count += 1;
  }
  return count;
}`;

describe('the icon each OS picks reads on its panel', () => {
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  /**
   * How many of the image's pixels stand out (WCAG contrast ≥ 3:1) against a panel colour, with
   * the image decoded and composited by Chromium.
   */
  async function pixelsStandingOutOn(relative: string, panel: [number, number, number]) {
    const page = await browser.newPage();
    try {
      const png = (await readFile(join(COMMITTED, relative))).toString('base64');
      return await page.evaluate<number>(
        `(${COUNT_STANDING_OUT})(${JSON.stringify(png)}, ${JSON.stringify(panel)})`,
      );
    } finally {
      await page.close();
    }
  }

  const LIGHT_PANEL: [number, number, number] = [246, 245, 244]; // Ubuntu's light top bar
  const DARK_PANEL: [number, number, number] = [30, 30, 30]; // GNOME's dark top bar
  // A 16 px bell covers some 90 pixels; a third of them standing out makes a readable outline.
  const READABLE = 30;

  test('Linux (whose panel colour the app cannot know): the glyph reads on a light and on a dark panel', async () => {
    for (const state of ['0', '3', 'offline', 'signed-out'] satisfies TrayState[]) {
      for (const dark of [false, true]) {
        const file = assetFiles.tray(trayPanelFor('linux', dark), state);
        for (const [name, panel] of [
          ['light', LIGHT_PANEL],
          ['dark', DARK_PANEL],
        ] as const) {
          const standing = await pixelsStandingOutOn(file, panel);
          assert.ok(
            standing >= READABLE,
            `${file} on a ${name} panel: only ${standing} pixels stand out`,
          );
        }
      }
    }
  });

  test('Windows: the set for the taskbar’s theme reads on that taskbar', async () => {
    const light = assetFiles.tray(trayPanelFor('win32', false), '0');
    const dark = assetFiles.tray(trayPanelFor('win32', true), '0');
    assert.ok((await pixelsStandingOutOn(light, [243, 243, 243])) >= READABLE, light);
    assert.ok((await pixelsStandingOutOn(dark, [32, 32, 32])) >= READABLE, dark);
  });
});

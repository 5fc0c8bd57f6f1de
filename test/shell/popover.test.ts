/**
 * Where the inbox popover opens (main/electron/popover.ts), for the panel layouts users have.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { popoverPosition } from '../../main/electron/popover.js';

const size = { width: 420, height: 640 };
const none = { x: 0, y: 0, width: 0, height: 0 };

test('Windows: taskbar at the bottom, the popover sits above the icon, inside the work area', () => {
  const at = popoverPosition({
    trayBounds: { x: 1400, y: 1050, width: 24, height: 30 },
    cursor: { x: 1410, y: 1060 },
    workArea: { x: 0, y: 0, width: 1920, height: 1040 },
    size,
  });
  assert.equal(at.x, 1412 - 210);
  assert.ok(at.y + size.height <= 1040, 'above the taskbar');
  assert.ok(at.y + size.height >= 1030, 'close to it');
});

test('macOS: menu bar at the top, the popover hangs under the icon, centred on it', () => {
  const at = popoverPosition({
    trayBounds: { x: 1000, y: 0, width: 22, height: 24 },
    cursor: { x: 1010, y: 10 },
    workArea: { x: 0, y: 25, width: 1440, height: 875 },
    size,
  });
  assert.deepEqual(at, { x: 1011 - 210, y: 31 });
});

test('an icon at the screen corner: the popover is pushed back inside', () => {
  const at = popoverPosition({
    trayBounds: { x: 1900, y: 1050, width: 20, height: 30 },
    cursor: { x: 1910, y: 1060 },
    workArea: { x: 0, y: 0, width: 1920, height: 1040 },
    size,
  });
  assert.equal(at.x, 1920 - 420);
});

test('a panel on the left: the popover opens beside it', () => {
  const at = popoverPosition({
    trayBounds: { x: 10, y: 900, width: 24, height: 24 },
    cursor: { x: 20, y: 910 },
    workArea: { x: 48, y: 0, width: 1872, height: 1080 },
    size,
  });
  assert.equal(at.x, 48 + 6);
  assert.ok(at.y + size.height <= 1080);
});

test('Linux without tray bounds: the pointer (which just clicked the icon) is the anchor', () => {
  const top = popoverPosition({
    trayBounds: none,
    cursor: { x: 1890, y: 12 },
    workArea: { x: 0, y: 32, width: 1920, height: 1048 },
    size,
  });
  assert.deepEqual(top, { x: 1500, y: 38 });
  const bottom = popoverPosition({
    trayBounds: none,
    cursor: { x: 900, y: 1070 },
    workArea: { x: 0, y: 0, width: 1920, height: 1040 },
    size,
  });
  assert.equal(bottom.y, 1040 - 640 - 6);
});

test('a screen smaller than the window: its top-left corner stays on screen', () => {
  const at = popoverPosition({
    trayBounds: none,
    cursor: { x: 300, y: 300 },
    workArea: { x: 0, y: 0, width: 400, height: 500 },
    size,
  });
  assert.deepEqual(at, { x: 0, y: 0 });
});

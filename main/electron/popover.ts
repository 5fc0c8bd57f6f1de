/**
 * Where the inbox window goes when it opens as a popover under (or above) the tray icon. Pure, so
 * every panel layout is tested without a screen: taskbar at the bottom (Windows, KDE), menu bar or
 * panel at the top (macOS, GNOME), at a side, and no icon position at all (most Linux desktops
 * report empty tray bounds; the pointer, which just clicked the icon, stands in for it).
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Gap between the icon and the window, in DIPs. */
const GAP = 6;

export function popoverPosition(input: {
  /** tray.getBounds(); zeros when the OS does not say. */
  trayBounds: Rect;
  /** The pointer, used when the tray bounds are empty. */
  cursor: { x: number; y: number };
  /** The work area (screen minus panels) of the display the icon is on. */
  workArea: Rect;
  size: { width: number; height: number };
}): { x: number; y: number } {
  const { trayBounds, cursor, workArea, size } = input;
  const known = trayBounds.width > 0 && trayBounds.height > 0;
  const anchor: Rect = known ? trayBounds : { x: cursor.x, y: cursor.y, width: 0, height: 0 };
  const centreX = anchor.x + anchor.width / 2;
  const centreY = anchor.y + anchor.height / 2;
  const workBottom = workArea.y + workArea.height;
  const workRight = workArea.x + workArea.width;

  let x: number;
  let y: number;
  if (anchor.x >= workRight || anchor.x + anchor.width <= workArea.x) {
    // A panel at the left or right edge: open beside it, level with the icon.
    x = anchor.x >= workRight ? workRight - size.width - GAP : workArea.x + GAP;
    y = centreY - size.height / 2;
  } else {
    x = centreX - size.width / 2;
    // The icon in the top half of the work area: a top panel, open below; otherwise above.
    y =
      centreY < workArea.y + workArea.height / 2
        ? Math.max(anchor.y + anchor.height, workArea.y) + GAP
        : Math.min(anchor.y, workBottom) - size.height - GAP;
  }
  return {
    x: Math.round(clamp(x, workArea.x, workRight - size.width)),
    y: Math.round(clamp(y, workArea.y, workBottom - size.height)),
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), Math.max(min, max));
}

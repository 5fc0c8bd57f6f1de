/**
 * What a native notification's text becomes on each OS. Linux notification daemons (GNOME Shell,
 * KDE Plasma, dunst, xfce4-notifyd) read the body as Pango-style markup, so a post titled
 * "Tom & Jerry" loses its "&", and on KDE an `<a href>` becomes a link that skips the post-URL guard.
 * Escaping & < > makes the daemon draw exactly the text the server sent. The summary line is plain
 * text in the specification, and macOS and Windows draw both lines as text.
 */
export function notificationBody(body: string, platform: NodeJS.Platform): string {
  return platform === 'linux' ? escapeMarkup(body) : body;
}

function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

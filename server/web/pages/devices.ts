/**
 * The account page: where the user sees every device signed in as them (a browser, the tray app
 * on each computer, scripts), when each was last used, and signs one or all of them out.
 */
import type { Device } from '../../domain/accounts.js';
import { html } from '../html.js';
import { csrfField, renderPage, type PageContext } from './layout.js';

const MOMENT_FORMAT = new Intl.DateTimeFormat('en', {
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
  timeZoneName: 'short',
});

const momentOf = (iso: string) =>
  html`<time datetime="${iso}">${MOMENT_FORMAT.format(new Date(iso))}</time>`;

export function renderDevices(
  context: PageContext,
  devices: Device[],
  idleDays: number,
  notice?: string,
): string {
  const rows = devices.map(
    (device, index) =>
      html`<tr>
        <th scope="row" id="device-${index}">
          ${device.device} ${device.current && html`<span class="tag">this device</span>`}
        </th>
        <td>${momentOf(device.createdAt)}</td>
        <td>${momentOf(device.lastUsedAt)}</td>
        <td>
          <form
            method="post"
            action="/account/devices/${device.tokenId}/signout"
            class="inline-form"
          >
            ${csrfField(context)}
            <button type="submit" class="button secondary" aria-describedby="device-${index}">
              Sign out this device
            </button>
          </form>
        </td>
      </tr>`,
  );
  const main = html`<section>
    <h1>Your account</h1>
    <h2>Signed-in devices</h2>
    <p>
      Each browser, tray app and script you signed in with. A device unused for ${idleDays} days is
      signed out by itself. Last use is recorded to within a few minutes.
    </p>
    <div class="table-scroll">
      <table class="devices">
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">Signed in</th>
            <th scope="col">Last used</th>
            <th scope="col"><span class="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
    </div>
    <form
      method="post"
      action="/account/signout-everywhere"
      class="stack"
      data-confirm="Sign out on every device, this one included?"
    >
      ${csrfField(context)}
      <p>Lost a laptop or a phone? Sign out everywhere, then sign in again here.</p>
      <div class="form-actions">
        <button type="submit" class="button danger">Sign out everywhere</button>
      </div>
    </form>
  </section>`;
  return renderPage(context, { title: 'Your account', main, notice });
}

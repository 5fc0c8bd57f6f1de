/**
 * The Electron notifier (main/electron/notifier.ts) on each OS, through the Electron stand-in:
 * what each toast carries (escaped body on Linux, a "Mark as read" button where the OS has
 * buttons), and what a click or the button does.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NativeNotification, Notifier } from '../../main/core/ports.js';
import { routeElectronToStandIn } from './electronLoader.js';
import { recorded, type FakeNotification } from './electronStandIn.js';

type NotifierModule = typeof import('../../main/electron/notifier.js');
let notifierModule: NotifierModule;

before(async () => {
  routeElectronToStandIn();
  notifierModule = await import('../../main/electron/notifier.js');
});

interface Harness {
  notifier: Notifier;
  inboxOpened: number;
  aboutOpened: number;
  markedRead: string[][];
  coreClicks: number;
}

function harness(platform: NodeJS.Platform): Harness {
  const state: Harness = {
    notifier: null as unknown as Notifier,
    inboxOpened: 0,
    aboutOpened: 0,
    markedRead: [],
    coreClicks: 0,
  };
  state.notifier = notifierModule.createElectronNotifier({
    iconPath: '/icon.png',
    platform,
    log: () => undefined,
    openInbox: () => (state.inboxOpened += 1),
    openAbout: () => (state.aboutOpened += 1),
    markRead: (ids) => state.markedRead.push(ids),
  });
  return state;
}

function show(h: Harness, notification: NativeNotification): FakeNotification {
  h.notifier.notify(notification, () => (h.coreClicks += 1));
  const toast = recorded.notifications.at(-1);
  assert.ok(toast, 'no toast shown');
  return toast;
}

const post: NativeNotification = {
  title: 'New post: Tom & Jerry',
  body: 'ana published “Tom & Jerry <b>live</b>”',
  silent: false,
  action: { kind: 'open-post', itemId: 'n1', url: 'https://blog.example/posts/1' },
  itemIds: ['n1'],
};
const summary: NativeNotification = {
  title: '4 new posts and 2 likes',
  body: 'Click to open the inbox.',
  silent: false,
  action: { kind: 'open-inbox' },
  itemIds: [],
};

describe('a summary notification', () => {
  for (const platform of ['linux', 'win32', 'darwin'] as const) {
    test(`on ${platform}, its click opens the inbox (and tells the core)`, () => {
      const h = harness(platform);
      show(h, summary).userClicks();
      assert.equal(h.inboxOpened, 1);
      assert.equal(h.coreClicks, 1);
    });
  }

  test('an item whose link failed the origin check is an open-inbox action: the click opens the inbox', () => {
    const h = harness('win32');
    show(h, { ...post, action: { kind: 'open-inbox' } }).userClicks();
    assert.equal(h.inboxOpened, 1);
  });

  test('a post’s click leaves opening to the core (its URL guard), and opens no inbox', () => {
    const h = harness('linux');
    show(h, post).userClicks();
    assert.equal(h.inboxOpened, 0);
    assert.equal(h.coreClicks, 1);
  });
});

describe('a new version ready to install', () => {
  const ready: NativeNotification = {
    title: 'Tidings',
    body: 'Tidings 1.2.0 is ready — restart to install',
    silent: true,
    action: { kind: 'open-about' },
    itemIds: [],
  };
  for (const platform of ['linux', 'win32', 'darwin'] as const) {
    test(`on ${platform}, its click opens the About view, not the inbox, and it has no button`, () => {
      const h = harness(platform);
      const toast = show(h, ready);
      assert.deepEqual(toast.options['actions'], []);
      toast.userClicks();
      assert.equal(h.aboutOpened, 1);
      assert.equal(h.inboxOpened, 0);
    });
  }
});

describe('"Mark as read" on the toast', () => {
  for (const platform of ['win32', 'darwin'] as const) {
    test(`on ${platform}, a post's toast has the button; it marks the items read and opens nothing`, () => {
      const h = harness(platform);
      const toast = show(h, post);
      assert.deepEqual(toast.options['actions'], [{ type: 'button', text: 'Mark as read' }]);
      toast.userPressesButton(0);
      assert.deepEqual(h.markedRead, [['n1']]);
      assert.equal(h.coreClicks, 0, 'no post opened');
      assert.equal(h.inboxOpened, 0, 'no window opened');
      toast.userClicks();
      assert.equal(h.coreClicks, 0, 'a toast acts once');
    });
  }

  test('a summary has no button (there is nothing single to mark)', () => {
    const toast = show(harness('win32'), summary);
    assert.deepEqual(toast.options['actions'], []);
  });

  test('Linux gets no button: daemons differ too much in how they show actions', () => {
    const toast = show(harness('linux'), post);
    assert.deepEqual(toast.options['actions'], []);
  });
});

describe('the body each OS is given', () => {
  test('Linux: & < > escaped, since the daemons read the body as markup; the title is plain', () => {
    const toast = show(harness('linux'), post);
    assert.equal(toast.options['body'], 'ana published “Tom &amp; Jerry &lt;b&gt;live&lt;/b&gt;”');
    assert.equal(toast.options['title'], 'New post: Tom & Jerry');
  });

  test('Windows and macOS draw text as text: the body is unchanged', () => {
    for (const platform of ['win32', 'darwin'] as const) {
      assert.equal(show(harness(platform), post).options['body'], post.body);
    }
  });
});

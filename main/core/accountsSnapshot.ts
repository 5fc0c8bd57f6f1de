/**
 * What several accounts look like as one snapshot, as plain functions: the inboxes merged newest
 * first with each item tagged by its account, the unread counts summed, and one status that
 * speaks for all. With one account (or none) the snapshot is that account's own, unchanged but
 * for the tags, so the one-account window behaves exactly as before.
 */
import type {
  AccountSummary,
  AppSnapshot,
  ConnectionStatus,
  InboxItem,
  InboxSnapshot,
} from '../../contract/ipc.js';

/** One account's core snapshot, under the id the composer knows it by. */
export interface MemberSnapshot {
  id: string;
  snapshot: AppSnapshot;
}

const EMPTY_INBOX: InboxSnapshot = {
  items: [],
  unreadCount: 0,
  hasMore: false,
  loadingOlder: false,
};

export function composeSnapshot(
  members: MemberSnapshot[],
): Pick<AppSnapshot, 'account' | 'status' | 'inbox' | 'accounts'> {
  const accounts = members.map(summarize);
  const [only] = members;
  if (members.length <= 1) {
    return {
      account: only?.snapshot.account ?? null,
      status: only?.snapshot.status ?? { state: 'signed-out' },
      inbox: only ? tagInbox(only) : { ...EMPTY_INBOX },
      accounts,
    };
  }
  const signedIn = members.find((member) => member.snapshot.account !== null);
  return {
    account: signedIn?.snapshot.account ?? null,
    status: combinedStatus(members.map((member) => member.snapshot.status)),
    inbox: mergeInboxes(members),
    accounts,
  };
}

function summarize({ id, snapshot }: MemberSnapshot): AccountSummary {
  const [serverUrl = '', username = ''] = splitId(id);
  return {
    id,
    serverUrl: snapshot.account?.serverUrl ?? serverUrl,
    username: snapshot.account?.username ?? username,
    status: snapshot.status,
    unreadCount: snapshot.inbox.unreadCount,
  };
}

/** `<origin>#<username>`: an origin has no `#`, so the first one splits them. */
function splitId(id: string): [string, string] {
  const at = id.indexOf('#');
  return at === -1 ? [id, ''] : [id.slice(0, at), id.slice(at + 1)];
}

function tagInbox({ id, snapshot }: MemberSnapshot): InboxSnapshot {
  return {
    ...snapshot.inbox,
    items: snapshot.inbox.items.map((item) => ({ ...item, account: id })),
  };
}

export function mergeInboxes(members: MemberSnapshot[]): InboxSnapshot {
  const items: InboxItem[] = members.flatMap((member) => tagInbox(member).items);
  items.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.seq - a.seq);
  return {
    items,
    unreadCount: members.reduce((sum, member) => sum + member.snapshot.inbox.unreadCount, 0),
    hasMore: members.some((member) => member.snapshot.inbox.hasMore),
    loadingOlder: members.some((member) => member.snapshot.inbox.loadingOlder),
  };
}

/**
 * Online while any account is: the badge counts what it can, and the account list (and the
 * tooltip) name the ones that are not. With none online, the first account's state speaks.
 */
export function combinedStatus(statuses: ConnectionStatus[]): ConnectionStatus {
  if (statuses.some((status) => status.state === 'online')) return { state: 'online' };
  if (statuses.some((status) => status.state === 'connecting')) return { state: 'connecting' };
  return statuses[0] ?? { state: 'signed-out' };
}

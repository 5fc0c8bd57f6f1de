/**
 * How many accepted TCP connections the kernel may queue for the server before it accepts them
 * (listen(2)'s backlog). Node's default is 511. After a restart 10,000 clients connect within a
 * second or two while the event loop is busy letting the first ones in; with 511 the queue
 * overflowed, the kernel dropped the rest's SYNs and each client's TCP stack retried only after
 * 1 s, 3 s, 7 s, 15 s: whole seconds of an idle wait on top of the client's own backoff
 * (docs/BENCHMARKS.md, "The storm, fifth pass"). Linux caps it at net.core.somaxconn (4096 by
 * default since 5.4); a queued connection costs the kernel a socket, no more than an accepted one.
 */
export const LISTEN_BACKLOG = 4096;

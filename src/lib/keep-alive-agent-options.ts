/**
 * Keep-alive options for our outgoing `node:http` agents. `timeout` closes a pooled socket after
 * 4 s idle — before Node servers' default 5 s keep-alive timeout closes it from the other side,
 * which otherwise races a request sent on a socket the server is just closing ("socket hang up").
 */
export const KEEP_ALIVE_AGENT_OPTIONS = { keepAlive: true, timeout: 4_000 } as const;

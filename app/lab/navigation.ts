// Which object page the workspace shows, kept in the URL hash (#/vm/db-01) so reload and Back keep the learner's place.
import { useCallback, useSyncExternalStore } from 'react';

export type Route =
  | { kind: 'vcenter' }
  | { kind: 'providers'; id?: string }
  | { kind: 'keymap' }
  | { kind: 'host'; id: string }
  | { kind: 'vm'; id: string }
  | { kind: 'kms'; id: string }
  | { kind: 'datastore'; id: string };

export function routeToHash(route: Route): string {
  switch (route.kind) {
    case 'vcenter':
    case 'keymap':
      return `#/${route.kind}`;
    case 'providers':
      return route.id ? `#/providers/${encodeURIComponent(route.id)}` : '#/providers';
    default:
      return `#/${route.kind}/${encodeURIComponent(route.id)}`;
  }
}

export function parseHash(hash: string): Route {
  const [kind, rawId] = hash.replace(/^#\/?/, '').split('/');
  const id = rawId ? decodeSegment(rawId) : undefined;
  switch (kind) {
    case 'keymap':
      return { kind: 'keymap' };
    case 'providers':
      return { kind: 'providers', id };
    case 'host':
    case 'vm':
    case 'kms':
    case 'datastore':
      return id ? { kind, id } : { kind: 'vcenter' };
    default:
      return { kind: 'vcenter' };
  }
}

/** A hash is whatever a link or the learner typed: bad percent-encoding (#/vm/%) names the object as written. */
function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

export function routeKey(route: Route): string {
  return routeToHash(route);
}

/** Fired after navigate() pushes a page: pushState itself tells no one. */
const ROUTE_PUSHED = 'keylab:route-pushed';

function subscribe(listener: () => void) {
  // hashchange: a typed or pasted hash; popstate: Back and Forward; ROUTE_PUSHED: a page chosen in the workspace.
  const events = ['hashchange', 'popstate', ROUTE_PUSHED];
  for (const event of events) window.addEventListener(event, listener);
  return () => {
    for (const event of events) window.removeEventListener(event, listener);
  };
}

export function useRoute(): [Route, (route: Route) => void] {
  const hash = useSyncExternalStore(
    subscribe,
    () => window.location.hash,
    () => '',
  );
  const navigate = useCallback((route: Route) => {
    const next = routeToHash(route);
    if (window.location.hash === next) return;
    // Through history.pushState with the entry's state, not location.hash: Next's router then knows the new entry, so
    // Back from the home page to it shows the lab again (an entry it did not know changed the URL and nothing else).
    window.history.pushState(window.history.state, '', next);
    window.dispatchEvent(new Event(ROUTE_PUSHED));
  }, []);
  return [parseHash(hash), navigate];
}

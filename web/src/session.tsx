import { queryOptions } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { auth, type Role, type Session, type Workspace, type WorkspaceMode } from './api.ts';

/** The signed-in session (null when signed out), cached under ['session']. */
export const sessionQuery = queryOptions({
  queryKey: ['session'],
  queryFn: () => auth.session(),
  staleTime: 5 * 60_000,
});

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** The session; only usable inside the signed-in layout. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() used outside the signed-in layout');
  return session;
}

/** Owners and admins change data; support users only read. */
export function canWrite(role: Role): boolean {
  return role === 'owner' || role === 'admin';
}

/** Team, API keys and the audit log are for owners and admins. */
export function canManageTeam(role: Role): boolean {
  return role === 'owner' || role === 'admin';
}

const STORAGE_KEY = 'recur.workspace';

function storedMode(): WorkspaceMode {
  try {
    return window.localStorage.getItem(STORAGE_KEY) === 'live' ? 'live' : 'sandbox';
  } catch {
    return 'sandbox';
  }
}

interface WorkspaceState {
  workspace: Workspace;
  setMode(mode: WorkspaceMode): void;
}

const WorkspaceContext = createContext<WorkspaceState | null>(null);

/** Which workspace (sandbox or live) the dashboard shows; sandbox unless the user chose live. */
export function WorkspaceProvider({ workspaces, children }: { workspaces: Workspace[]; children: ReactNode }) {
  const [mode, setModeState] = useState<WorkspaceMode>(storedMode);
  const setMode = useCallback((next: WorkspaceMode) => {
    setModeState(next);
    try {
      window.localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // private mode: the choice lasts until reload
    }
  }, []);
  const fallback: Workspace = { id: mode, mode, name: mode === 'live' ? 'Live' : 'Sandbox', livemode: mode === 'live' };
  const workspace = workspaces.find((w) => w.mode === mode) ?? fallback;
  const value = useMemo(() => ({ workspace, setMode }), [workspace, setMode]);
  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
}

export function useWorkspace(): WorkspaceState {
  const state = useContext(WorkspaceContext);
  if (!state) throw new Error('useWorkspace() used outside the signed-in layout');
  return state;
}

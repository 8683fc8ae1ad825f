import { useInfiniteQuery, useMutation, useQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { request, type ApiError, type List, type Query } from './api.ts';
import { useSession, useWorkspace } from './session.tsx';

/**
 * Query keys start with ['v1', <workspace id>]: switching workspace changes every key,
 * so everything is fetched again for the new workspace and nothing leaks across.
 */
export function v1Key(workspaceId: string, path: string, query?: Query): unknown[] {
  return ['v1', workspaceId, ...path.split('/').filter((p) => p && p !== 'v1'), query ?? {}];
}

export function useV1Query<T>(
  path: string,
  query?: Query,
  options: { enabled?: boolean; keepPrevious?: boolean; pollWhile?: (data: T | undefined) => boolean; pollMs?: number } = {},
) {
  const { workspace } = useWorkspace();
  return useQuery<T, ApiError>({
    queryKey: v1Key(workspace.id, path, query),
    queryFn: ({ signal }) => request<T>('GET', path, { query, workspace: workspace.id, signal }),
    enabled: options.enabled ?? true,
    // While the next page loads, keep showing this one, but never another workspace's data.
    placeholderData: options.keepPrevious ? (previous, previousQuery) => (previousQuery?.queryKey[1] === workspace.id ? previous : undefined) : undefined,
    // Something that changes on the server by itself (a test clock advancing) is polled until it settles.
    refetchInterval: options.pollWhile ? (q) => (options.pollWhile?.(q.state.data) ? (options.pollMs ?? 1000) : false) : false,
  });
}

/**
 * A newest-first list read page by page ("Load more"): each next page starts after the last
 * id of the one before, while the API says there is more.
 */
export function useV1InfiniteList<T extends { id: string }>(path: string, query: Query = {}) {
  const { workspace } = useWorkspace();
  return useInfiniteQuery<List<T>, ApiError, InfiniteData<List<T>, string | undefined>, unknown[], string | undefined>({
    // Marked apart from a plain useV1Query of the same list, whose cached data has another shape.
    queryKey: [...v1Key(workspace.id, path, query), 'pages'],
    queryFn: ({ pageParam, signal }) =>
      request<List<T>>('GET', path, { query: { ...query, starting_after: pageParam }, workspace: workspace.id, signal }),
    initialPageParam: undefined,
    getNextPageParam: (last) => (last.has_more ? last.data.at(-1)?.id : undefined),
  });
}

export interface V1Client {
  get<T>(path: string, query?: Query): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  /** DELETE's parameters go in the query string (the API reads no body on DELETE). */
  del<T>(path: string, query?: Query): Promise<T>;
}

/** Writes for the current workspace, with the session's CSRF token. */
export function useV1Client(): V1Client {
  const { workspace } = useWorkspace();
  const { csrf_token } = useSession();
  return {
    get: <T>(path: string, query?: Query) => request<T>('GET', path, { query, workspace: workspace.id }),
    post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, { body, workspace: workspace.id, csrfToken: csrf_token }),
    del: <T>(path: string, query?: Query) => request<T>('DELETE', path, { query, workspace: workspace.id, csrfToken: csrf_token }),
  };
}

/** A write that refreshes the workspace's data when it succeeds. */
export function useV1Mutation<TVars, TResult>(
  run: (client: V1Client, vars: TVars) => Promise<TResult>,
  options: { onSuccess?: (result: TResult, vars: TVars) => void } = {},
) {
  const client = useV1Client();
  const queryClient = useQueryClient();
  const { workspace } = useWorkspace();
  return useMutation<TResult, ApiError, TVars>({
    mutationFn: (vars) => run(client, vars),
    onSuccess: async (result, vars) => {
      options.onSuccess?.(result, vars);
      await queryClient.invalidateQueries({ queryKey: ['v1', workspace.id] });
    },
  });
}

// Automated tasks (`/api/v1/tasks`): the list, one task, save, duplicate, delete, run (or rehearse),
// the run history and each run's results.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { api, call } from './client';
import type { ApiError } from './errors';
import { queryKeys } from './queries';
import type {
  Task,
  TaskInput,
  TaskPreview,
  TaskPreviewRequest,
  TaskRun,
  TaskRunDetail,
} from './types';

/** Query keys of this file. */
export const taskKeys = {
  all: ['tasks'] as const,
  list: ['tasks', 'list'] as const,
  detail: (id: number) => ['tasks', 'detail', id] as const,
  runs: (id: number) => ['tasks', 'runs', id] as const,
  run: (id: number, processId: string) => ['tasks', 'runs', id, processId] as const,
};

/** True while a run is still working. */
export function isRunActive(run: Pick<TaskRun, 'state'> | null | undefined): boolean {
  return run?.state === 'running';
}

/** Every task of the tenant; polls while one of them runs. */
export function useTasks(enabled = true) {
  return useQuery<Task[], ApiError>({
    queryKey: taskKeys.list,
    enabled,
    queryFn: async () => (await call(api.GET('/api/v1/tasks'))).items,
    refetchInterval: (query) =>
      query.state.data?.some((t) => isRunActive(t.lastRun)) ? 3_000 : false,
  });
}

/** One task. */
export function useTask(id: number, enabled = true) {
  return useQuery<Task, ApiError>({
    queryKey: taskKeys.detail(id),
    queryFn: () => call(api.GET('/api/v1/tasks/{id}', { params: { path: { id } } })),
    enabled,
  });
}

/** Saves a new task (`id` undefined) or replaces one. */
export function useSaveTask() {
  const client = useQueryClient();
  return useMutation<Task, ApiError, { id?: number; input: TaskInput }>({
    mutationFn: ({ id, input }) =>
      id === undefined
        ? call(api.POST('/api/v1/tasks', { body: input }))
        : call(api.PUT('/api/v1/tasks/{id}', { params: { path: { id } }, body: input })),
    onSuccess: (task) => {
      client.setQueryData(taskKeys.detail(task.id), task);
      void client.invalidateQueries({ queryKey: taskKeys.list });
    },
  });
}

/** The fields of a saved task as a request, with `active` changed. */
export function taskInputOf(task: Task, active: boolean): TaskInput {
  return {
    name: task.name,
    savedFilterId: task.savedFilterId,
    actions: task.actions,
    ...(task.reason ? { reason: task.reason } : {}),
    schedule: task.schedule,
    active,
    timeZone: task.timeZone,
    dryRunOnly: task.dryRunOnly === true,
  };
}

/** Copies a task (inactive, named "… (copy)" by the server); answers the copy. */
export function useDuplicateTask() {
  const client = useQueryClient();
  return useMutation<Task, ApiError, number>({
    mutationFn: (id) =>
      call(api.POST('/api/v1/tasks/{id}/duplicate', { params: { path: { id } } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: taskKeys.list }),
  });
}

/** Deletes a task (its run history stays with the operations). */
export function useDeleteTask() {
  const client = useQueryClient();
  return useMutation<void, ApiError, number>({
    mutationFn: async (id) => {
      await call(api.DELETE('/api/v1/tasks/{id}', { params: { path: { id } } }));
    },
    onSuccess: (_, id) => {
      client.removeQueries({ queryKey: taskKeys.detail(id) });
      void client.invalidateQueries({ queryKey: taskKeys.list });
    },
  });
}

/** Starts a run now (a rehearsal when `dryRun`); answers its process id. */
export function useRunTask() {
  const client = useQueryClient();
  return useMutation<{ processId: string }, ApiError, { id: number; dryRun: boolean }>({
    mutationFn: ({ id, dryRun }) =>
      call(api.POST('/api/v1/tasks/{id}/run', { params: { path: { id } }, body: { dryRun } })),
    onSuccess: (_, { id }) => {
      void client.invalidateQueries({ queryKey: taskKeys.runs(id) });
      void client.invalidateQueries({ queryKey: taskKeys.list });
    },
  });
}

/** A task's runs, newest first; polls while one runs. */
export function useTaskRuns(id: number) {
  return useQuery<TaskRun[], ApiError>({
    queryKey: taskKeys.runs(id),
    queryFn: async () =>
      (await call(api.GET('/api/v1/tasks/{id}/runs', { params: { path: { id } } }))).items,
    refetchInterval: (query) => (query.state.data?.some(isRunActive) ? 2_000 : false),
  });
}

/**
 * One run with its counts (its steps come a page at a time: `useOperationSteps`); polls while
 * it runs. When it ends, the mirror and the tasks are read again.
 */
export function useTaskRun(id: number, processId: string) {
  const client = useQueryClient();
  const query = useQuery<TaskRunDetail, ApiError>({
    queryKey: taskKeys.run(id, processId),
    queryFn: () =>
      call(
        api.GET('/api/v1/tasks/{id}/runs/{processId}', {
          params: { path: { id, processId }, query: { results: false } },
        }),
      ),
    refetchInterval: (q) => (isRunActive(q.state.data) ? 1_000 : false),
  });
  const active = isRunActive(query.data);
  const wasActive = useRef(active);
  useEffect(() => {
    if (wasActive.current && !active) {
      void client.invalidateQueries({ queryKey: queryKeys.mirror });
      void client.invalidateQueries({ queryKey: taskKeys.all });
    }
    wasActive.current = active;
  }, [active, client]);
  return query;
}

/** Who a task with this saved filter and these actions would touch now (nothing changes). */
export function useTaskPreview(request: TaskPreviewRequest) {
  return useQuery<TaskPreview, ApiError>({
    queryKey: ['tasks', 'preview', request],
    queryFn: () => call(api.POST('/api/v1/tasks/preview', { body: request })),
    staleTime: 30_000,
  });
}

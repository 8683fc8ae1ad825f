import { Alert, Button, Group, Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { ApiError } from '../../api.ts';
import { IconAlert } from '../../components/icons.tsx';
import { useV1Mutation } from '../../hooks.ts';
import type { Task } from './tasks.tsx';

interface TaskValues {
  title: string;
  description: string;
  /** An <input type="date"> value, or ''. */
  due: string;
}

const EMPTY: TaskValues = { title: '', description: '', due: '' };

/** A date input's day as unix seconds: the end of that day here, so it is due all day. */
function endOfDay(value: string): number | '' {
  if (!value) return '';
  const ms = new Date(`${value}T23:59:59`).getTime();
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : '';
}

/** "Add task" on a customer's page: a manual task for the team. */
export function NewTaskModal(props: { customerId: string; opened: boolean; onClose(): void }) {
  const create = useV1Mutation((client, values: TaskValues) =>
    client.post<Task>('/v1/tasks', {
      customer: props.customerId,
      title: values.title.trim(),
      ...(values.description.trim() ? { description: values.description.trim() } : {}),
      ...(values.due ? { due_at: endOfDay(values.due) } : {}),
    }),
    { onSuccess: () => close() },
  );
  function close() {
    create.reset();
    props.onClose();
  }
  return (
    <Modal opened={props.opened} onClose={close} title={<Text fw={600}>Add task</Text>} centered>
      {/* Mounted only while open, so each task starts empty. */}
      {props.opened ? <TaskForm pending={create.isPending} error={create.error} onSubmit={(values) => create.mutate(values)} onCancel={close} /> : null}
    </Modal>
  );
}

function TaskForm(props: { pending: boolean; error: ApiError | null; onSubmit(values: TaskValues): void; onCancel(): void }) {
  const [values, setValues] = useState<TaskValues>(EMPTY);
  const param = props.error?.param ?? null;
  const onField = param === 'title' || param === 'description' || param === 'due_at';
  const errorFor = (field: string) => (param === field ? props.error?.message : undefined);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit(values);
  };
  return (
    <form onSubmit={submit} noValidate data-testid="task-form">
      <Stack gap="md">
        {props.error && !onField ? (
          <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
            {props.error.message}
          </Alert>
        ) : null}
        <TextInput
          label="Title"
          name="title"
          placeholder="Call about the renewal"
          data-autofocus
          value={values.title}
          onChange={(e) => {
            const title = e.currentTarget.value;
            setValues((v) => ({ ...v, title }));
          }}
          error={errorFor('title')}
        />
        <Textarea
          label="Description"
          name="description"
          autosize
          minRows={2}
          value={values.description}
          onChange={(e) => {
            const description = e.currentTarget.value;
            setValues((v) => ({ ...v, description }));
          }}
          error={errorFor('description')}
        />
        <TextInput
          label="Due date"
          name="due"
          type="date"
          description="Optional"
          value={values.due}
          onChange={(e) => {
            const due = e.currentTarget.value;
            setValues((v) => ({ ...v, due }));
          }}
          error={errorFor('due_at')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={props.onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={props.pending} data-testid="task-submit">
            Add task
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

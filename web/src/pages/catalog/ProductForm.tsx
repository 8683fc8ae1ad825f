import { Alert, Button, Group, Stack, Switch, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import type { ApiError } from '../../api.ts';
import { IconAlert } from '../../components/icons.tsx';

export interface ProductFormValues {
  name: string;
  description: string;
  active: boolean;
}

/** Create / edit a product's name, description and active flag; API errors land on the field `param` names. */
export function ProductForm(props: {
  initial: ProductFormValues;
  submitLabel: string;
  pending: boolean;
  error: ApiError | null;
  onSubmit(values: ProductFormValues): void;
  onCancel(): void;
}) {
  const [values, setValues] = useState(props.initial);
  const param = props.error?.param ?? null;
  const onField = param === 'name' || param === 'description' || param === 'active';
  const errorFor = (field: string) => (param === field ? props.error?.message : undefined);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit(values);
  };
  return (
    <form onSubmit={submit} noValidate data-testid="product-form">
      <Stack gap="md">
        {props.error && !onField ? (
          <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
            {props.error.message}
          </Alert>
        ) : null}
        <TextInput
          label="Name"
          name="name"
          placeholder="Pro plan"
          autoFocus
          value={values.name}
          onChange={(e) => {
            const name = e.currentTarget.value;
            setValues((v) => ({ ...v, name }));
          }}
          error={errorFor('name')}
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
        <Switch
          label="Active (can be used in new subscriptions and invoices)"
          checked={values.active}
          onChange={(e) => {
            const active = e.currentTarget.checked;
            setValues((v) => ({ ...v, active }));
          }}
          error={errorFor('active')}
        />
        <Group justify="flex-end" gap="sm" mt="sm">
          <Button variant="default" onClick={props.onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={props.pending}>
            {props.submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

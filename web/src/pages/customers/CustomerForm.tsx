import { ActionIcon, Alert, Button, Divider, Grid, Group, Stack, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import type { ApiError } from '../../api.ts';
import { IconAlert, IconPlus, IconTrash } from '../../components/icons.tsx';
import { fieldForParam, type CustomerFormValues } from './customerForm.ts';

type TextField = Exclude<keyof CustomerFormValues, 'locales' | 'metadata'>;

/** Create / edit form for a customer; the API's validation error lands on the field its `param` names. */
export function CustomerForm(props: {
  initial: CustomerFormValues;
  submitLabel: string;
  pending: boolean;
  error: ApiError | null;
  onSubmit(values: CustomerFormValues): void;
  onCancel(): void;
  /** More fields that are not the customer's own (the new customer's test clock), above the buttons. */
  extra?: ReactNode;
}) {
  const [values, setValues] = useState<CustomerFormValues>(props.initial);
  const errorField = fieldForParam(props.error?.param);
  const set = (field: TextField) => (event: { currentTarget: { value: string } }) => {
    const value = event.currentTarget.value;
    setValues((v) => ({ ...v, [field]: value }));
  };
  const errorFor = (field: string) => (errorField === field ? props.error?.message : undefined);
  const text = (field: TextField, label: string, extra: { placeholder?: string; type?: string; autoFocus?: boolean; maxLength?: number } = {}) => (
    <TextInput label={label} name={field} value={values[field]} onChange={set(field)} error={errorFor(field)} {...extra} />
  );
  const setMeta = (index: number, part: 'key' | 'value', value: string) =>
    setValues((v) => ({ ...v, metadata: v.metadata.map((row, i) => (i === index ? { ...row, [part]: value } : row)) }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit(values);
  };
  const fieldShown = errorField !== null && errorField !== undefined && isFormField(errorField);

  return (
    <form onSubmit={submit} noValidate data-testid="customer-form">
      <Stack gap="md">
        {props.error && !fieldShown ? (
          <Alert color="red" variant="light" icon={<IconAlert />} role="alert">
            {props.error.message}
          </Alert>
        ) : null}
        <Grid gap="md">
          <Grid.Col span={{ base: 12, sm: 6 }}>{text('name', 'Name', { placeholder: 'Jane Cooper', autoFocus: true })}</Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>{text('email', 'Email', { placeholder: 'jane@example.com', type: 'email' })}</Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>{text('phone', 'Phone', { placeholder: '+1 555 0100' })}</Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>
            <TagsInput
              label="Preferred locales"
              placeholder={values.locales.length ? '' : 'en, fr-CA… (Enter to add)'}
              value={values.locales}
              onChange={(locales) => setValues((v) => ({ ...v, locales }))}
              error={errorFor('locales')}
              maxTags={10}
            />
          </Grid.Col>
          <Grid.Col span={12}>
            <Textarea
              label="Description"
              name="description"
              autosize
              minRows={2}
              value={values.description}
              onChange={set('description')}
              error={errorFor('description')}
            />
          </Grid.Col>
        </Grid>

        <Divider label="Billing address" labelPosition="left" />
        <Grid gap="md">
          <Grid.Col span={{ base: 12, sm: 6 }}>{text('line1', 'Address line 1')}</Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>{text('line2', 'Address line 2')}</Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>{text('city', 'City')}</Grid.Col>
          <Grid.Col span={{ base: 12, sm: 6 }}>{text('state', 'State / region')}</Grid.Col>
          <Grid.Col span={{ base: 6 }}>{text('postal_code', 'Postal code')}</Grid.Col>
          <Grid.Col span={{ base: 6 }}>{text('country', 'Country', { placeholder: 'US', maxLength: 2 })}</Grid.Col>
        </Grid>

        <Divider label="Metadata" labelPosition="left" />
        <Stack gap="xs">
          {values.metadata.length === 0 ? (
            <Text size="sm" c="dimmed">
              Key-value pairs for your own use, e.g. plan = pro.
            </Text>
          ) : null}
          {values.metadata.map((row, index) => (
            <Group key={index} gap="xs" wrap="nowrap" align="flex-start">
              <TextInput
                placeholder="key"
                aria-label={`Metadata key ${index + 1}`}
                value={row.key}
                onChange={(e) => setMeta(index, 'key', e.currentTarget.value)}
                style={{ flex: 1 }}
                error={errorField === 'metadata'}
              />
              <TextInput
                placeholder="value"
                aria-label={`Metadata value ${index + 1}`}
                value={row.value}
                onChange={(e) => setMeta(index, 'value', e.currentTarget.value)}
                style={{ flex: 2 }}
                error={errorField === 'metadata'}
              />
              <ActionIcon
                variant="subtle"
                color="gray"
                size="lg"
                aria-label="Remove metadata row"
                onClick={() => setValues((v) => ({ ...v, metadata: v.metadata.filter((_, i) => i !== index) }))}
              >
                <IconTrash size={16} />
              </ActionIcon>
            </Group>
          ))}
          {errorField === 'metadata' ? (
            <Text size="xs" c="red">
              {props.error?.message}
            </Text>
          ) : null}
          <Button
            variant="subtle"
            size="xs"
            leftSection={<IconPlus size={14} />}
            onClick={() => setValues((v) => ({ ...v, metadata: [...v.metadata, { key: '', value: '' }] }))}
            style={{ alignSelf: 'flex-start' }}
          >
            Add metadata
          </Button>
        </Stack>

        {props.extra}

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

const formFields = new Set(['name', 'email', 'phone', 'description', 'line1', 'line2', 'city', 'state', 'postal_code', 'country', 'locales', 'metadata']);

function isFormField(field: string): boolean {
  return formFields.has(field);
}

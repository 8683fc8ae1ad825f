import { Avatar, Badge, Button, Grid, Group, Modal, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useNavigate, useParams } from '@tanstack/react-router';
import { AnchorLink } from '../../components/links.tsx';
import { useState } from 'react';
import type { Customer, DeletedCustomer } from '../../api.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { IconArrowLeft, IconEdit, IconTrash } from '../../components/icons.tsx';
import { Empty, ErrorState } from '../../components/states.tsx';
import { initials } from '../../format.ts';
import { useV1Mutation, useV1Query } from '../../hooks.ts';
import { canWrite, useSession } from '../../session.tsx';
import { CustomerDetails } from './CustomerDetails.tsx';
import { CustomerForm } from './CustomerForm.tsx';
import { customerFormFrom, updateBody, type CustomerFormValues } from './customerForm.ts';
import { CustomerTimeline } from './CustomerTimeline.tsx';

function isDeleted(customer: Customer | DeletedCustomer): customer is DeletedCustomer {
  return 'deleted' in customer && customer.deleted;
}

function BackLink() {
  return (
    <AnchorLink to="/customers" size="sm" c="dimmed" mb="sm" display="inline-flex" style={{ alignItems: 'center', gap: 6 }}>
      <IconArrowLeft size={14} /> Customers
    </AnchorLink>
  );
}

function EditModal({ customer, opened, onClose }: { customer: Customer; opened: boolean; onClose(): void }) {
  const update = useV1Mutation(
    (client, values: CustomerFormValues) => client.post<Customer>(`/v1/customers/${encodeURIComponent(customer.id)}`, updateBody(values, customer)),
    { onSuccess: onClose },
  );
  const close = () => {
    update.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>Edit customer</Text>} size="lg" centered>
      {opened ? (
        <CustomerForm
          initial={customerFormFrom(customer)}
          submitLabel="Save changes"
          pending={update.isPending}
          error={update.error}
          onSubmit={(values) => update.mutate(values)}
          onCancel={close}
        />
      ) : null}
    </Modal>
  );
}

function CustomerHeader({ customer, onEdit, onDelete }: { customer: Customer; onEdit(): void; onDelete(): void }) {
  const { user } = useSession();
  const title = customer.name ?? customer.email ?? 'Unnamed customer';
  return (
    <Group justify="space-between" align="center" mb="lg" wrap="nowrap">
      <Group gap="md" wrap="nowrap" style={{ minWidth: 0 }}>
        <Avatar size={52} radius="xl" color="indigo" variant="light">
          {initials(title)}
        </Avatar>
        <div style={{ minWidth: 0 }}>
          <Title order={2} fz={24} data-testid="customer-name" style={{ overflowWrap: 'anywhere' }}>
            {title}
          </Title>
          <Group gap="xs" mt={4}>
            <span className="recur-mono">{customer.id}</span>
            <Badge size="sm" variant="light" color={customer.livemode ? 'teal' : 'orange'}>
              {customer.livemode ? 'Live' : 'Sandbox'}
            </Badge>
          </Group>
        </div>
      </Group>
      {canWrite(user.role) ? (
        <Group gap="sm" wrap="nowrap">
          <Button variant="default" leftSection={<IconEdit size={16} />} onClick={onEdit}>
            Edit
          </Button>
          <Button variant="light" color="red" leftSection={<IconTrash size={16} />} onClick={onDelete}>
            Delete
          </Button>
        </Group>
      ) : null}
    </Group>
  );
}

export function CustomerPage() {
  const { customerId } = useParams({ from: '/app/customers/$customerId' });
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const customer = useV1Query<Customer | DeletedCustomer>(`/v1/customers/${encodeURIComponent(customerId)}`);
  const remove = useV1Mutation((client, id: string) => client.del<DeletedCustomer>(`/v1/customers/${encodeURIComponent(id)}`), {
    onSuccess: () => {
      setDeleting(false);
      void navigate({ to: '/customers' });
    },
  });

  if (customer.isPending) {
    return (
      <Stack>
        <BackLink />
        <Skeleton height={52} width={320} radius="md" />
        <Skeleton height={260} radius="md" />
      </Stack>
    );
  }
  if (customer.isError) {
    const missing = customer.error.code === 'resource_missing';
    return (
      <Stack>
        <BackLink />
        <ErrorState
          title={missing ? 'Customer not found' : 'Could not load this customer'}
          error={customer.error}
          {...(missing ? {} : { onRetry: () => void customer.refetch() })}
        />
      </Stack>
    );
  }
  const data = customer.data;
  if (isDeleted(data)) {
    return (
      <Stack>
        <BackLink />
        <Empty icon={<IconTrash size={28} />} title="This customer was deleted" description={`${data.id} no longer exists in this workspace.`} />
      </Stack>
    );
  }
  return (
    <>
      <BackLink />
      <CustomerHeader customer={data} onEdit={() => setEditing(true)} onDelete={() => setDeleting(true)} />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="lg">
            <CustomerDetails customer={data} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <CustomerTimeline customerId={data.id} />
        </Grid.Col>
      </Grid>
      <EditModal customer={data} opened={editing} onClose={() => setEditing(false)} />
      <ConfirmModal
        opened={deleting}
        title="Delete customer"
        confirmLabel="Delete customer"
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => remove.mutate(data.id)}
        onClose={() => {
          remove.reset();
          setDeleting(false);
        }}
      >
        Delete <strong>{data.name ?? data.email ?? data.id}</strong>? The customer disappears from lists and the API; their history is
        kept. This cannot be undone.
      </ConfirmModal>
    </>
  );
}

import { Avatar, Badge, Button, Grid, Modal, Stack, Text } from '@mantine/core';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import type { Customer, DeletedCustomer } from '../../api.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { BackLink, DetailGate, DetailHeader } from '../../components/DetailHeader.tsx';
import { EventTimeline } from '../../components/EventTimeline.tsx';
import { IconEdit, IconTrash } from '../../components/icons.tsx';
import { Empty } from '../../components/states.tsx';
import { initials } from '../../format.ts';
import { useV1Mutation, useV1Query } from '../../hooks.ts';
import { canWrite, useSession } from '../../session.tsx';
import { CustomerDetails } from './CustomerDetails.tsx';
import { CustomerForm } from './CustomerForm.tsx';
import { customerFormFrom, updateBody, type CustomerFormValues } from './customerForm.ts';
import { CustomerInvoices, CustomerSubscriptions } from './CustomerBilling.tsx';
import { CustomerPaymentMethods } from './CustomerPaymentMethods.tsx';
import { CustomerTasks } from './CustomerTasks.tsx';
import { TestClockPanel } from './TestClockPanel.tsx';

function isDeleted(customer: Customer | DeletedCustomer): customer is DeletedCustomer {
  return 'deleted' in customer && customer.deleted;
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
    <DetailHeader
      title={title}
      titleTestId="customer-name"
      id={customer.id}
      avatar={
        <Avatar size={52} radius="xl" color="indigo" variant="light">
          {initials(title)}
        </Avatar>
      }
      badges={
        <Badge size="sm" variant="light" color={customer.livemode ? 'teal' : 'orange'}>
          {customer.livemode ? 'Live' : 'Sandbox'}
        </Badge>
      }
      actions={
        canWrite(user.role) ? (
          <>
            <Button variant="default" leftSection={<IconEdit size={16} />} onClick={onEdit}>
              Edit
            </Button>
            <Button variant="light" color="red" leftSection={<IconTrash size={16} />} onClick={onDelete}>
              Delete
            </Button>
          </>
        ) : null
      }
    />
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

  const back = <BackLink to="/customers" label="Customers" />;
  return (
    <DetailGate query={customer} back={back} noun="Customer">
      {(data) =>
        isDeleted(data) ? (
          <Stack>
            {back}
            <Empty icon={<IconTrash size={28} />} title="This customer was deleted" description={`${data.id} no longer exists in this workspace.`} />
          </Stack>
        ) : (
          <>
            {back}
            <CustomerHeader customer={data} onEdit={() => setEditing(true)} onDelete={() => setDeleting(true)} />
            <Grid gap="lg">
              <Grid.Col span={{ base: 12, md: 7 }}>
                <Stack gap="lg">
                  <CustomerTasks customer={data} />
                  <CustomerSubscriptions customer={data} />
                  <CustomerInvoices customerId={data.id} />
                  <CustomerPaymentMethods customer={data} />
                  <CustomerDetails customer={data} />
                </Stack>
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 5 }}>
                <Stack gap="lg">
                  <TestClockPanel customer={data} />
                  <EventTimeline objectId={data.id} noun="customer" testId="customer-timeline" />
                </Stack>
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
        )
      }
    </DetailGate>
  );
}

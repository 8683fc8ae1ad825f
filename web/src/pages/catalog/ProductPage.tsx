import { Badge, Button, Group, Modal, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useState } from 'react';
import type { DeletedProduct, List, Price, Product } from '../../api.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { BackLink, Detail, DetailGate, DetailHeader } from '../../components/DetailHeader.tsx';
import { IconEdit, IconPlus, IconTrash } from '../../components/icons.tsx';
import { Empty, ErrorState, SkeletonRows } from '../../components/states.tsx';
import { formatDate, formatInterval, formatMoney } from '../../format.ts';
import { useV1Mutation, useV1Query } from '../../hooks.ts';
import { canWrite, useSession } from '../../session.tsx';
import { AddPriceModal } from './PriceModal.tsx';
import { ProductForm, type ProductFormValues } from './ProductForm.tsx';

function isDeleted(product: Product | DeletedProduct): product is DeletedProduct {
  return 'deleted' in product && product.deleted;
}

function priceAmount(price: Price): string {
  if (price.billing_scheme === 'tiered') {
    const first = price.tiers?.[0];
    const from = first?.unit_amount ?? first?.flat_amount;
    return `${price.tiers_mode === 'volume' ? 'Volume' : 'Graduated'} tiers${from !== null && from !== undefined ? `, from ${formatMoney(from, price.currency)}` : ''}`;
  }
  if (price.unit_amount !== null) return formatMoney(price.unit_amount, price.currency);
  return `${price.unit_amount_decimal ?? '—'} ${price.currency.toUpperCase()} (minor units)`;
}

function PriceRow({ price, writable }: { price: Price; writable: boolean }) {
  const archive = useV1Mutation((client, active: boolean) => client.post<Price>(`/v1/prices/${encodeURIComponent(price.id)}`, { active }));
  const others = Object.entries(price.currency_options ?? {}).filter(([c]) => c !== price.currency);
  return (
    <Table.Tr data-testid="price-row">
      <Table.Td>
        <Text fw={500} size="sm" data-testid="price-amount">
          {priceAmount(price)}
        </Text>
        {others.length ? (
          <Text size="xs" c="dimmed">
            {others.map(([c, o]) => (o.unit_amount !== null ? formatMoney(o.unit_amount, c) : c.toUpperCase())).join(' · ')}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>
        <Text size="sm" data-testid="price-interval">
          {formatInterval(price.recurring)}
        </Text>
      </Table.Td>
      <Table.Td>{price.nickname ?? <Text span c="dimmed">—</Text>}</Table.Td>
      <Table.Td>{price.lookup_key ? <span className="recur-mono">{price.lookup_key}</span> : <Text span c="dimmed">—</Text>}</Table.Td>
      <Table.Td>
        <Badge size="sm" variant="light" color={price.active ? 'teal' : 'gray'}>
          {price.active ? 'Active' : 'Archived'}
        </Badge>
      </Table.Td>
      <Table.Td>
        <span className="recur-mono">{price.id}</span>
      </Table.Td>
      <Table.Td>
        {writable ? (
          <Button size="xs" variant="subtle" color={price.active ? 'red' : 'indigo'} loading={archive.isPending} onClick={() => archive.mutate(!price.active)}>
            {price.active ? 'Archive' : 'Unarchive'}
          </Button>
        ) : null}
        {archive.error ? (
          <Text size="xs" c="red">
            {archive.error.message}
          </Text>
        ) : null}
      </Table.Td>
    </Table.Tr>
  );
}

function PricesSection({ product, writable }: { product: Product; writable: boolean }) {
  const [adding, setAdding] = useState(false);
  const prices = useV1Query<List<Price>>('/v1/prices', { product: product.id, limit: 100 });
  const addButton = writable ? (
    <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => setAdding(true)}>
      Add price
    </Button>
  ) : null;
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={3} fz={18}>
          Prices
        </Title>
        {addButton}
      </Group>
      {prices.isError ? (
        <ErrorState title="Could not load prices" error={prices.error} onRetry={() => void prices.refetch()} />
      ) : prices.data && prices.data.data.length === 0 ? (
        <Empty icon={<IconPlus size={28} />} title="No prices yet" description="Add a one-time or recurring price to sell this product." action={addButton} />
      ) : (
        <Paper withBorder style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={820}>
            <Table data-testid="prices-table">
              <Table.Thead bg="gray.0">
                <Table.Tr>
                  <Table.Th>Amount</Table.Th>
                  <Table.Th>Billing</Table.Th>
                  <Table.Th>Nickname</Table.Th>
                  <Table.Th>Lookup key</Table.Th>
                  <Table.Th w={100}>Status</Table.Th>
                  <Table.Th w={230}>ID</Table.Th>
                  <Table.Th w={110} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {prices.isPending ? <SkeletonRows columns={7} rows={2} /> : prices.data.data.map((p) => <PriceRow key={p.id} price={p} writable={writable} />)}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      <AddPriceModal productId={product.id} opened={adding} onClose={() => setAdding(false)} />
    </Stack>
  );
}

function EditModal({ product, opened, onClose }: { product: Product; opened: boolean; onClose(): void }) {
  const update = useV1Mutation(
    (client, values: ProductFormValues) =>
      client.post<Product>(`/v1/products/${encodeURIComponent(product.id)}`, { name: values.name.trim(), description: values.description.trim(), active: values.active }),
    { onSuccess: onClose },
  );
  const close = () => {
    update.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>Edit product</Text>} size="lg" centered>
      {opened ? (
        <ProductForm
          initial={{ name: product.name, description: product.description ?? '', active: product.active }}
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

export function ProductPage() {
  const { productId } = useParams({ from: '/app/products/$productId' });
  const { user } = useSession();
  const navigate = useNavigate();
  const writable = canWrite(user.role);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const query = useV1Query<Product | DeletedProduct>(`/v1/products/${encodeURIComponent(productId)}`);
  const remove = useV1Mutation((client) => client.del<DeletedProduct>(`/v1/products/${encodeURIComponent(productId)}`), {
    onSuccess: () => void navigate({ to: '/products' }),
  });
  const back = <BackLink to="/products" label="Products" />;
  return (
    <DetailGate query={query} back={back} noun="Product">
      {(product) =>
        isDeleted(product) ? (
          <>
            {back}
            <Empty icon={<IconTrash size={28} />} title="Product deleted" description={`${product.id} was deleted.`} />
          </>
        ) : (
          <>
            {back}
            <DetailHeader
              title={product.name}
              titleTestId="product-name"
              id={product.id}
              badges={
                <Badge size="sm" variant="light" color={product.active ? 'teal' : 'gray'}>
                  {product.active ? 'Active' : 'Archived'}
                </Badge>
              }
              actions={
                writable ? (
                  <>
                    <Button variant="default" leftSection={<IconEdit size={16} />} onClick={() => setEditing(true)}>
                      Edit
                    </Button>
                    <Button variant="light" color="red" leftSection={<IconTrash size={16} />} onClick={() => setDeleting(true)}>
                      Delete
                    </Button>
                  </>
                ) : null
              }
            />
            <Stack gap="lg">
              <Paper withBorder p="md">
                <SimpleGrid cols={{ base: 1, sm: 4 }}>
                  <Detail label="Description">{product.description ?? <Text span c="dimmed">—</Text>}</Detail>
                  <Detail label="Created">{formatDate(product.created)}</Detail>
                  <Detail label="Updated">{formatDate(product.updated)}</Detail>
                  {product.unit_label ? <Detail label="Unit label">{product.unit_label}</Detail> : null}
                </SimpleGrid>
              </Paper>
              <PricesSection product={product} writable={writable} />
            </Stack>
            <EditModal product={product} opened={editing} onClose={() => setEditing(false)} />
            <ConfirmModal
              opened={deleting}
              title="Delete product"
              confirmLabel="Delete product"
              loading={remove.isPending}
              error={remove.error}
              onConfirm={() => remove.mutate(undefined)}
              onClose={() => {
                remove.reset();
                setDeleting(false);
              }}
            >
              Delete {product.name}? Products with prices cannot be deleted: archive them instead.
            </ConfirmModal>
          </>
        )
      }
    </DetailGate>
  );
}

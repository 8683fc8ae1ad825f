import { Badge, Button, Group, Loader, Modal, Paper, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import type { Product } from '../../api.ts';
import { IconBox, IconPlus, IconSearch } from '../../components/icons.tsx';
import { AnchorLink } from '../../components/links.tsx';
import { Pager } from '../../components/Pager.tsx';
import { Empty, ErrorState, PageHeader, SkeletonRows } from '../../components/states.tsx';
import { formatDate } from '../../format.ts';
import { useV1Mutation } from '../../hooks.ts';
import { canWrite, useSession, useWorkspace } from '../../session.tsx';
import { ProductForm, type ProductFormValues } from './ProductForm.tsx';
import { MIN_SEARCH_LENGTH, useProductResults } from './useProductResults.ts';

function NewProductModal({ opened, onClose }: { opened: boolean; onClose(): void }) {
  const navigate = useNavigate();
  const create = useV1Mutation(
    (client, values: ProductFormValues) =>
      client.post<Product>('/v1/products', {
        name: values.name.trim(),
        active: values.active,
        ...(values.description.trim() ? { description: values.description.trim() } : {}),
      }),
    {
      onSuccess: (product) => {
        onClose();
        void navigate({ to: '/products/$productId', params: { productId: product.id } });
      },
    },
  );
  const close = () => {
    create.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={<Text fw={600}>New product</Text>} size="lg" centered>
      {opened ? (
        <ProductForm
          initial={{ name: '', description: '', active: true }}
          submitLabel="Create product"
          pending={create.isPending}
          error={create.error}
          onSubmit={(values) => create.mutate(values)}
          onCancel={close}
        />
      ) : null}
    </Modal>
  );
}

function ProductRow({ product }: { product: Product }) {
  const navigate = useNavigate();
  const open = () => void navigate({ to: '/products/$productId', params: { productId: product.id } });
  return (
    <Table.Tr className="recur-row-link" onClick={open} data-testid="product-row">
      <Table.Td>
        <AnchorLink to="/products/$productId" params={{ productId: product.id }} fw={500} c="dark" onClick={(e) => e.stopPropagation()}>
          {product.name}
        </AnchorLink>
        {product.description ? (
          <Text size="xs" c="dimmed" lineClamp={1}>
            {product.description}
          </Text>
        ) : null}
      </Table.Td>
      <Table.Td>
        <Badge size="sm" variant="light" color={product.active ? 'teal' : 'gray'}>
          {product.active ? 'Active' : 'Archived'}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed">
          {formatDate(product.created)}
        </Text>
      </Table.Td>
      <Table.Td>
        <span className="recur-mono">{product.id}</span>
      </Table.Td>
    </Table.Tr>
  );
}

export function ProductsPage() {
  const { user } = useSession();
  const { workspace } = useWorkspace();
  const [creating, setCreating] = useState(false);
  const [input, setInput] = useState('');
  const [term] = useDebouncedValue(input, 300);
  const page = useProductResults(term);
  const { result, data } = page;
  const newButton = canWrite(user.role) ? (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
      New product
    </Button>
  ) : null;
  const searching = page.mode === 'search';
  const tooShort = input.trim().length > 0 && input.trim().length < MIN_SEARCH_LENGTH;
  const empty = !result.isPending && !result.isError && data.length === 0;

  return (
    <>
      <PageHeader
        title="Products"
        description={`What you sell in the ${workspace.mode === 'live' ? 'live' : 'sandbox'} workspace, and its prices.`}
        actions={newButton}
      />
      <Group mb="md" justify="space-between">
        <TextInput
          placeholder="Search by name"
          aria-label="Search products"
          data-testid="product-search"
          leftSection={<IconSearch size={16} />}
          rightSection={result.isFetching && !result.isPending ? <Loader size={14} /> : null}
          value={input}
          onChange={(e) => setInput(e.currentTarget.value)}
          w={360}
          maw="100%"
          description={tooShort ? `Type at least ${MIN_SEARCH_LENGTH} characters to search.` : undefined}
        />
        {searching ? (
          <Badge variant="light" color="indigo" size="lg" radius="sm">
            Search results
          </Badge>
        ) : null}
      </Group>

      {result.isError ? (
        <ErrorState title="Could not load products" error={result.error} onRetry={() => void result.refetch()} />
      ) : empty && !searching && page.firstPage ? (
        <Empty icon={<IconBox size={28} />} title="No products yet" description="Create a product, then give it one or more prices." action={newButton} />
      ) : empty && searching ? (
        <Empty icon={<IconSearch size={28} />} title="No matching products" description={`Nothing matches “${term.trim()}”.`} />
      ) : (
        <Paper withBorder style={{ overflow: 'hidden' }}>
          <Table.ScrollContainer minWidth={680}>
            <Table highlightOnHover={false} data-testid="products-table">
              <Table.Thead bg="gray.0">
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th w={110}>Status</Table.Th>
                  <Table.Th w={140}>Created</Table.Th>
                  <Table.Th w={260}>ID</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>{result.isPending ? <SkeletonRows columns={4} /> : data.map((p) => <ProductRow key={p.id} product={p} />)}</Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Pager
            count={data.length}
            nouns={['product', 'products']}
            hasPrev={page.hasPrev}
            hasNext={page.hasNext}
            onPrev={page.prev}
            onNext={page.next}
            busy={result.isFetching}
            loading={result.isPending}
          />
        </Paper>
      )}
      <NewProductModal opened={creating} onClose={() => setCreating(false)} />
    </>
  );
}

import { Badge, Button, Group, Loader, Modal, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import type { Product } from '../../api.ts';
import { IconBox, IconPlus, IconSearch } from '../../components/icons.tsx';
import { AnchorLink } from '../../components/links.tsx';
import { ListTable, type Column } from '../../components/ListTable.tsx';
import { Empty, PageHeader } from '../../components/states.tsx';
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

const columns: Array<Column<Product>> = [
  {
    header: 'Name',
    render: (p) => (
      <>
        <AnchorLink to="/products/$productId" params={{ productId: p.id }} fw={500} c="dark">
          {p.name}
        </AnchorLink>
        {p.description ? (
          <Text size="xs" c="dimmed" lineClamp={1}>
            {p.description}
          </Text>
        ) : null}
      </>
    ),
  },
  {
    header: 'Status',
    width: 110,
    render: (p) => (
      <Badge size="sm" variant="light" color={p.active ? 'teal' : 'gray'}>
        {p.active ? 'Active' : 'Archived'}
      </Badge>
    ),
  },
  { header: 'Created', width: 140, render: (p) => <Text size="sm" c="dimmed">{formatDate(p.created)}</Text> },
  { header: 'ID', width: 260, render: (p) => <span className="recur-mono">{p.id}</span> },
];

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

      <ListTable
        query={result}
        rows={data}
        columns={columns}
        tableTestId="products-table"
        rowTestId="product-row"
        errorTitle="Could not load products"
        rowLink={(p) => ({ to: '/products/$productId', params: { productId: p.id } })}
        paging={{ ...page, nouns: ['product', 'products'] }}
        empty={
          searching ? (
            <Empty icon={<IconSearch size={28} />} title="No matching products" description={`Nothing matches “${term.trim()}”.`} />
          ) : page.firstPage ? (
            <Empty icon={<IconBox size={28} />} title="No products yet" description="Create a product, then give it one or more prices." action={newButton} />
          ) : null
        }
      />
      <NewProductModal opened={creating} onClose={() => setCreating(false)} />
    </>
  );
}

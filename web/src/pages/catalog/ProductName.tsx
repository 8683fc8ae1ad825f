import { Skeleton } from '@mantine/core';
import type { Product } from '../../api.ts';
import { useV1Query } from '../../hooks.ts';

/**
 * A product's name from its id (prices and subscription items carry only the id, and the API
 * does not expand price.product); each product is fetched once and cached.
 */
export function useProductName(productId: string | null | undefined): { name: string | null; pending: boolean } {
  const query = useV1Query<Product>(`/v1/products/${encodeURIComponent(productId ?? '')}`, undefined, { enabled: Boolean(productId) });
  if (!productId) return { name: null, pending: false };
  return { name: query.data?.name ?? (query.isError ? productId : null), pending: query.isPending };
}

export function ProductName({ productId }: { productId: string }) {
  const { name, pending } = useProductName(productId);
  if (pending) return <Skeleton height={12} width={100} radius="xl" display="inline-block" />;
  return <>{name ?? productId}</>;
}

import { z } from 'zod';
import { list, searchResult } from '../../../lib/pagination.ts';
import { route, type RouteSpec } from '../../../server/route.ts';
import {
  createProductParams,
  deletedProductSchema,
  listProductsParams,
  productSchema,
  retrieveProductParams,
  searchProductsParams,
  updateProductParams,
} from './schema.ts';
import { createProduct, deleteProduct, listProducts, retrieveProduct, searchProducts, updateProduct } from './service.ts';

const tag = 'Products';

export const productRoutes: RouteSpec[] = [
  route({
    method: 'POST',
    path: '/v1/products',
    operationId: 'PostProducts',
    summary: 'Create a product (optionally with an id of your choosing)',
    tag,
    access: 'write',
    auditAction: 'product.created',
    idempotencyCheck: 'at-commit',
    params: createProductParams,
    response: productSchema,
    handler: (ctx, params) => createProduct(ctx, params),
  }),
  route({
    method: 'GET',
    path: '/v1/products',
    operationId: 'GetProducts',
    summary: 'List products, newest first',
    tag,
    access: 'read',
    params: listProductsParams,
    response: z.object({ object: z.literal('list'), data: z.array(productSchema), has_more: z.boolean(), url: z.string() }),
    handler: async (ctx, params) => {
      const { data, hasMore } = await listProducts(ctx, params);
      return list('/v1/products', data, hasMore);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/products/search',
    operationId: 'GetProductsSearch',
    summary: "Search products with Stripe's query language (active, created, description, metadata, name, shippable, url)",
    tag,
    access: 'read',
    params: searchProductsParams,
    response: z.object({
      object: z.literal('search_result'),
      data: z.array(productSchema),
      has_more: z.boolean(),
      next_page: z.string().nullable(),
      url: z.string(),
    }),
    handler: async (ctx, params) => searchResult('/v1/products/search', await searchProducts(ctx, params)),
  }),
  route({
    method: 'GET',
    path: '/v1/products/:id',
    operationId: 'GetProductsId',
    summary: 'Retrieve a product',
    tag,
    access: 'read',
    params: retrieveProductParams,
    response: productSchema,
    handler: (ctx, _params, path) => retrieveProduct(ctx, path.id as string),
  }),
  route({
    method: 'POST',
    path: '/v1/products/:id',
    operationId: 'PostProductsId',
    summary: 'Update a product; parameters left out are unchanged, an empty string clears',
    tag,
    access: 'write',
    auditAction: 'product.updated',
    idempotencyCheck: 'at-commit',
    params: updateProductParams,
    response: productSchema,
    handler: (ctx, params, path) => updateProduct(ctx, path.id as string, params),
  }),
  route({
    method: 'DELETE',
    path: '/v1/products/:id',
    operationId: 'DeleteProductsId',
    summary: 'Delete a product (for good: a retrieve afterwards is a 404)',
    tag,
    access: 'write',
    auditAction: 'product.deleted',
    params: z.strictObject({}),
    response: deletedProductSchema,
    handler: (ctx, _params, path) => deleteProduct(ctx, path.id as string),
  }),
];

import { z } from 'zod';
import { list } from '../../../lib/pagination.ts';
import { FileResponse, route, type RouteSpec } from '../../../server/route.ts';
import { creditNotePdfFile } from './pdf-file.ts';
import {
  createCreditNoteParams,
  creditNoteLineSchema,
  creditNoteLinesParams,
  creditNoteSchema,
  listCreditNotesParams,
  previewCreditNoteLinesParams,
  previewCreditNoteParams,
  retrieveCreditNoteParams,
  updateCreditNoteParams,
  voidCreditNoteParams,
} from './schema.ts';
import {
  createCreditNote,
  listCreditNoteLines,
  listCreditNotes,
  previewCreditNote,
  previewCreditNoteLines,
  retrieveCreditNote,
  updateCreditNote,
  voidCreditNote,
} from './service.ts';

const tag = 'Credit notes';
const listOf = <T extends z.ZodType>(item: T) => z.object({ object: z.literal('list'), data: z.array(item), has_more: z.boolean(), url: z.string() });

export const creditNoteRoutes: RouteSpec[] = [
  route({
    method: 'POST',
    path: '/v1/credit_notes',
    operationId: 'PostCreditNotes',
    summary: 'Credit an open or paid invoice: off what is due, or refunded, credited to the balance or out of band',
    tag,
    access: 'write',
    auditAction: 'credit_note.created',
    params: createCreditNoteParams,
    response: creditNoteSchema,
    handler: (ctx, params) => createCreditNote(ctx, params),
  }),
  route({
    method: 'GET',
    path: '/v1/credit_notes',
    operationId: 'GetCreditNotes',
    summary: 'List credit notes, newest first',
    tag,
    access: 'read',
    params: listCreditNotesParams,
    response: listOf(creditNoteSchema),
    handler: async (ctx, params) => {
      const { data, hasMore } = await listCreditNotes(ctx, params);
      return list('/v1/credit_notes', data, hasMore);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/credit_notes/preview',
    operationId: 'GetCreditNotesPreview',
    summary: 'The credit note these parameters would issue (nothing is changed)',
    tag,
    access: 'read',
    params: previewCreditNoteParams,
    response: creditNoteSchema,
    handler: (ctx, params) => previewCreditNote(ctx, params),
  }),
  route({
    method: 'GET',
    path: '/v1/credit_notes/preview/lines',
    operationId: 'GetCreditNotesPreviewLines',
    summary: "A credit note preview's lines (the first `limit`)",
    tag,
    access: 'read',
    params: previewCreditNoteLinesParams,
    response: listOf(creditNoteLineSchema),
    handler: async (ctx, params) => {
      const { data, hasMore } = await previewCreditNoteLines(ctx, params);
      return list('/v1/credit_notes/preview/lines', data, hasMore);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/credit_notes/:id',
    operationId: 'GetCreditNotesId',
    summary: 'Retrieve a credit note',
    tag,
    access: 'read',
    params: retrieveCreditNoteParams,
    response: creditNoteSchema,
    handler: (ctx, _params, path) => retrieveCreditNote(ctx, path.id as string),
  }),
  route({
    method: 'POST',
    path: '/v1/credit_notes/:id',
    operationId: 'PostCreditNotesId',
    summary: "Update a credit note's memo and metadata",
    tag,
    access: 'write',
    auditAction: 'credit_note.updated',
    params: updateCreditNoteParams,
    response: creditNoteSchema,
    handler: (ctx, params, path) => updateCreditNote(ctx, path.id as string, params),
  }),
  route({
    method: 'GET',
    path: '/v1/credit_notes/:id/lines',
    operationId: 'GetCreditNotesCreditNoteLines',
    summary: "A credit note's lines, in their order",
    tag,
    access: 'read',
    params: creditNoteLinesParams,
    response: listOf(creditNoteLineSchema),
    handler: async (ctx, params, path) => {
      const { data, hasMore } = await listCreditNoteLines(ctx, path.id as string, params);
      return list(`/v1/credit_notes/${path.id}/lines`, data, hasMore);
    },
  }),
  route({
    method: 'GET',
    path: '/v1/credit_notes/:id/pdf',
    operationId: 'GetCreditNotesIdPdf',
    summary: "The credit note as a PDF, in the customer's language and currency format",
    tag,
    access: 'read',
    params: z.strictObject({}),
    response: z.string(),
    handler: async (ctx, _params, path) => {
      const file = await creditNotePdfFile(ctx, path.id as string);
      return new FileResponse('application/pdf', file.bytes, file.filename);
    },
  }),
  route({
    method: 'POST',
    path: '/v1/credit_notes/:id/void',
    operationId: 'PostCreditNotesIdVoid',
    summary: 'Void a credit note: its credit is given back (not one that refunded)',
    tag,
    access: 'write',
    auditAction: 'credit_note.voided',
    params: voidCreditNoteParams,
    response: creditNoteSchema,
    handler: (ctx, _params, path) => voidCreditNote(ctx, path.id as string),
  }),
];

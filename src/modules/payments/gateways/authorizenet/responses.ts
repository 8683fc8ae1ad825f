import { z } from 'zod';
import { parseScaledDecimal } from '../../../../lib/money.ts';
import { AuthorizeNetUnavailableError } from './sdk.ts';

/**
 * Authorize.net's JSON responses, as far as the adapter reads them. The JSON API is its XML
 * API converted: response codes and amounts come as strings in some responses and numbers
 * in others (createTransaction's responseCode is "1", getTransactionDetails' is 1), so both
 * are accepted.
 */
const text = z.union([z.string(), z.number()]).transform(String);

const messages = z.object({
  resultCode: z.enum(['Ok', 'Error']),
  message: z.array(z.object({ code: z.string(), text: z.string() })).default([]),
});

const base = z.object({ messages, refId: z.string().optional() });

export const createCustomerProfileResponse = base.extend({
  customerProfileId: text.optional(),
  customerPaymentProfileIdList: z.array(text).optional(),
  validationDirectResponseList: z.array(z.string()).optional(),
});

export const createCustomerPaymentProfileResponse = base.extend({
  customerProfileId: text.optional(),
  customerPaymentProfileId: text.optional(),
  validationDirectResponse: z.string().optional(),
});

export const getCustomerPaymentProfileResponse = base.extend({
  paymentProfile: z
    .object({
      payment: z.object({
        creditCard: z
          .object({ cardNumber: z.string(), expirationDate: z.string(), cardType: z.string().optional() })
          .optional(),
      }),
    })
    .optional(),
});

export const createTransactionResponse = base.extend({
  transactionResponse: z
    .object({
      responseCode: text,
      transId: text.optional(),
      authCode: z.string().optional(),
      messages: z.array(z.object({ code: text, description: z.string() })).optional(),
      errors: z.array(z.object({ errorCode: text, errorText: z.string() })).optional(),
    })
    .optional(),
});
export type TransactionResponse = NonNullable<z.infer<typeof createTransactionResponse>['transactionResponse']>;

const profileIds = z.object({ customerProfileId: text, customerPaymentProfileId: text.optional() });

export const transactionDetails = z.object({
  transId: text,
  refTransId: text.optional(),
  transactionType: z.string(),
  transactionStatus: z.string(),
  responseCode: text.optional(),
  responseReasonCode: text.optional(),
  responseReasonDescription: z.string().optional(),
  order: z.object({ invoiceNumber: z.string().optional() }).optional(),
  authAmount: text.optional(),
  settleAmount: text.optional(),
  payment: z.object({ creditCard: z.object({ cardNumber: z.string() }).optional() }).optional(),
  profile: profileIds.optional(),
});
export type TransactionDetails = z.infer<typeof transactionDetails>;

export const getTransactionDetailsResponse = base.extend({ transaction: transactionDetails.optional() });

export const transactionListResponse = base.extend({
  transactions: z
    .array(
      z.object({
        transId: text,
        transactionStatus: z.string(),
        invoiceNumber: z.string().optional(),
        profile: profileIds.optional(),
      }),
    )
    .optional(),
  totalNumInResultSet: text.optional(),
});
export type TransactionSummary = NonNullable<z.infer<typeof transactionListResponse>['transactions']>[number];

/** Parses a response; one that does not have the documented shape is a failure to retry. */
export function parse<T>(schema: z.ZodType<T>, response: unknown, operation: string): T {
  const result = schema.safeParse(response);
  if (!result.success) throw new AuthorizeNetUnavailableError(`Authorize.net ${operation}: unexpected response (${result.error.issues[0]?.message ?? 'invalid'})`);
  return result.data;
}

/** The first message of a response ("E00039", "A duplicate record with ID 1234 already exists."). */
export function firstMessage(response: { messages: z.infer<typeof messages> }): { code: string; text: string } {
  return response.messages.message[0] ?? { code: '', text: '' };
}

/** An error result Authorize.net gave about the request or the account (bad credentials …). */
export class AuthorizeNetApiError extends Error {
  override readonly name = 'AuthorizeNetApiError';
  constructor(
    readonly operation: string,
    readonly code: string,
    text: string,
  ) {
    super(`Authorize.net ${operation}: ${code} ${text}`);
  }
}

export function apiError(operation: string, response: { messages: z.infer<typeof messages> }): AuthorizeNetApiError {
  const { code, text: message } = firstMessage(response);
  return new AuthorizeNetApiError(operation, code, message);
}

/**
 * An amount as Authorize.net writes it ("12.5", 12.5, "1018.88") in minor units of a currency
 * with `exponent` decimals. JSON numbers reach us as doubles; for amounts of up to 15
 * significant digits `String(n)` gives back the decimal that was sent.
 */
export function amountToMinor(amount: string | undefined, exponent: number): bigint | null {
  if (amount === undefined || !/^\d+(\.\d+)?$/.test(amount)) return null;
  const [whole = '', fraction = ''] = amount.split('.');
  return parseScaledDecimal(`${whole}.${fraction.replace(/0+$/, '') || '0'}`, exponent);
}

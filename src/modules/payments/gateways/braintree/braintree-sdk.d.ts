/**
 * Types for the part of the official `braintree` SDK (v3.40, plain JavaScript, no types of
 * its own) that the adapter uses, written from its source in node_modules/braintree/lib.
 * Objects are the SDK's parse of Braintree's XML: keys camel-cased, values strings unless
 * the XML says integer, boolean, array or nil.
 */
declare module 'braintree' {
  import type { Readable } from 'node:stream';

  export class Environment {
    constructor(server: string, port: string, authUrl: string, ssl: boolean, graphQLServer?: string, graphQLPort?: string);
    static readonly Sandbox: Environment;
    static readonly Production: Environment;
    readonly server: string;
    readonly port: string;
    readonly ssl: boolean;
  }

  export interface GatewayConfig {
    environment: Environment;
    merchantId: string;
    publicKey: string;
    privateKey: string;
  }

  /** A thrown SDK error (exceptions.js): `type` is one of errorTypes. */
  export interface BraintreeError extends Error {
    type: string;
  }

  export interface ValidationError {
    attribute: string;
    code: string;
    message: string;
  }

  export interface ValidationErrorsCollection {
    deepErrors(): ValidationError[];
  }

  export interface Verification {
    id?: string;
    status: string;
    processorResponseCode?: string | null;
    processorResponseText?: string | null;
    gatewayRejectionReason?: string | null;
  }

  export interface Transaction {
    id: string;
    status: string;
    type: string;
    amount: string;
    currencyIsoCode: string;
    orderId?: string | null;
    merchantAccountId?: string;
    refundIds?: string[];
    refundedTransactionId?: string | null;
    processorResponseCode?: string | null;
    processorResponseText?: string | null;
    gatewayRejectionReason?: string | null;
    createdAt?: string;
  }

  /** A 422 answer: validation errors, or a declined transaction or verification. */
  export interface ErrorResult {
    success: false;
    message: string;
    errors: ValidationErrorsCollection;
    transaction?: Transaction;
    verification?: Verification;
  }

  export interface CreditCard {
    token: string;
    cardType?: string;
    last4?: string;
    expirationMonth?: string;
    expirationYear?: string;
    countryOfIssuance?: string;
    debit?: string;
    prepaid?: string;
  }

  export interface Customer {
    id: string;
  }

  export interface MerchantAccount {
    id: string;
    currencyIsoCode: string;
    status?: string;
    default?: boolean;
  }

  export interface Dispute {
    id: string;
    amountDisputed?: string;
    currencyIsoCode?: string;
    transaction?: { id: string; amount?: string };
  }

  export interface WebhookNotification {
    kind: string;
    timestamp: string;
    transaction?: Transaction;
    dispute?: Dispute;
  }

  export interface TransactionSearch {
    orderId(): { is(value: string): void };
    type(): { is(value: string): void };
  }

  export interface TransactionSaleRequest {
    amount: string;
    paymentMethodToken: string;
    orderId: string;
    merchantAccountId?: string;
    options: { submitForSettlement: boolean };
  }

  export class BraintreeGateway {
    constructor(config: GatewayConfig);
    customer: {
      find(id: string): Promise<Customer>;
      create(attributes: { id: string; email?: string; firstName?: string }): Promise<{ success: true; customer: Customer } | ErrorResult>;
    };
    paymentMethod: {
      create(attributes: {
        customerId: string;
        paymentMethodNonce: string;
        options: { verifyCard: boolean };
      }): Promise<{ success: true; paymentMethod: CreditCard } | ErrorResult>;
    };
    transaction: {
      sale(attributes: TransactionSaleRequest): Promise<{ success: true; transaction: Transaction } | ErrorResult>;
      find(id: string): Promise<Transaction>;
      refund(id: string, options: { amount: string; orderId: string }): Promise<{ success: true; transaction: Transaction } | ErrorResult>;
      void(id: string): Promise<{ success: true; transaction: Transaction } | ErrorResult>;
      /** A stream of the matching transactions (object mode). */
      search(build: (search: TransactionSearch) => void): Readable;
    };
    merchantAccount: {
      /** Every merchant account, page by page (object mode). */
      all(): Readable;
    };
    webhookNotification: {
      parse(signature: string, payload: string): Promise<WebhookNotification>;
    };
  }
}

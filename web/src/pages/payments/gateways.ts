/**
 * The payment gateways a workspace can connect, and what each one asks for: the one list of
 * credential fields in the dashboard (the connect form and "Replace credentials" both use it).
 * Each list is typed by the gateway adapter's own credentials (src/modules/payments/gateways/
 * <name>/credentials.ts), so a field added, renamed or dropped there fails the type check here.
 */
import type { AuthorizeNetCredentials } from '../../../../src/modules/payments/gateways/authorizenet/credentials.ts';
import type { BraintreeCredentials } from '../../../../src/modules/payments/gateways/braintree/credentials.ts';
import type { PayPalCredentials } from '../../../../src/modules/payments/gateways/paypal/credentials.ts';
import type { RazorpayCredentials } from '../../../../src/modules/payments/gateways/razorpay/credentials.ts';
import type { RealGatewayKind } from '../../../../src/modules/payments/gateways/registry.ts';
import type { StripeCredentials } from '../../../../src/modules/payments/gateways/stripe/credentials.ts';

export type GatewayKind = RealGatewayKind;

/** GET /v1/gateway_accounts (a Recur extension). Credentials are never returned: only their names. */
export interface GatewayAccount {
  id: string;
  object: 'gateway_account';
  api_base: string | null;
  created: number;
  credentials_set: string[];
  default: boolean;
  display_name: string;
  environment: 'sandbox' | 'production';
  gateway: GatewayKind;
  livemode: boolean;
  metadata: Record<string, string>;
  webhook_path: string;
}

export interface CredentialField {
  label: string;
  /** A secret the gateway issued: typed into a password field. */
  secret: boolean;
  placeholder?: string;
  description?: string;
  /** May be left empty: the adapter has a default. */
  optional?: boolean;
}

/**
 * Every credential of a gateway, in form order; null for one the dashboard does not ask for
 * (a nested value that `credentials[…]` cannot carry as a single string).
 */
type CredentialFields<Credentials> = { [Field in keyof Required<Credentials>]: CredentialField | null };

interface GatewaySpec<Credentials> {
  label: string;
  /** Where in the gateway's own dashboard the credentials are found. */
  where: string;
  fields: CredentialFields<Credentials>;
}

const stripe: GatewaySpec<StripeCredentials> = {
  label: 'Stripe',
  where: 'Stripe Dashboard → Developers: an API key, and the signing secret of the webhook endpoint that points at Recur.',
  fields: {
    secret_key: { label: 'Secret key', secret: true, placeholder: 'sk_live_… or rk_live_…', description: 'A secret key, or a restricted key with write access to Customers, PaymentMethods, PaymentIntents and Refunds.' },
    webhook_secret: { label: 'Webhook signing secret', secret: true, placeholder: 'whsec_…' },
  },
};

const paypal: GatewaySpec<PayPalCredentials> = {
  label: 'PayPal',
  where: 'PayPal Developer Dashboard → Apps & Credentials: the REST app, and the id of the webhook registered on it.',
  fields: {
    client_id: { label: 'Client ID', secret: false },
    client_secret: { label: 'Client secret', secret: true },
    webhook_id: { label: 'Webhook ID', secret: false, description: 'PayPal needs it to verify the signature of each webhook.' },
  },
};

const braintree: GatewaySpec<BraintreeCredentials> = {
  label: 'Braintree',
  where: 'Braintree Control Panel → Settings → API.',
  fields: {
    merchant_id: { label: 'Merchant ID', secret: false },
    public_key: { label: 'Public key', secret: false },
    private_key: { label: 'Private key', secret: true },
    // Currency → merchant account: left out, Recur asks Braintree for the account's merchant accounts.
    merchant_account_ids: null,
  },
};

const authorizenet: GatewaySpec<AuthorizeNetCredentials> = {
  label: 'Authorize.net',
  where: 'Authorize.net Merchant Interface → Account → Settings → API Credentials & Keys.',
  fields: {
    api_login_id: { label: 'API Login ID', secret: false },
    transaction_key: { label: 'Transaction key', secret: true },
    signature_key: { label: 'Signature key', secret: true, description: 'The 128-character hexadecimal key that signs webhooks.' },
    currency: { label: 'Settlement currency', secret: false, placeholder: 'usd', optional: true, description: 'The one currency the account settles in (default usd).' },
  },
};

const razorpay: GatewaySpec<RazorpayCredentials> = {
  label: 'Razorpay',
  where: 'Razorpay Dashboard → Account & Settings → API Keys, and the secret given to the webhook that points at Recur.',
  fields: {
    key_id: { label: 'Key ID', secret: false, placeholder: 'rzp_test_… or rzp_live_…' },
    key_secret: { label: 'Key secret', secret: true },
    webhook_secret: { label: 'Webhook secret', secret: true },
  },
};

/** Each kind's spec, typed loosely once its fields are checked above. */
export const GATEWAYS: Record<GatewayKind, GatewaySpec<Record<string, string>>> = { stripe, paypal, braintree, authorizenet, razorpay };

export function isGatewayKind(value: string): value is GatewayKind {
  return Object.hasOwn(GATEWAYS, value);
}

/** In the order the connect form offers them. */
export const GATEWAY_KINDS: readonly GatewayKind[] = Object.keys(GATEWAYS).filter(isGatewayKind);

/** The fields the dashboard asks for, with their names. */
export function credentialFields(kind: GatewayKind): Array<[string, CredentialField]> {
  return Object.entries(GATEWAYS[kind].fields).filter((entry): entry is [string, CredentialField] => entry[1] !== null);
}

export function gatewayLabel(kind: string): string {
  if (isGatewayKind(kind)) return GATEWAYS[kind].label;
  return kind === 'test' ? 'Test gateway' : kind;
}

/**
 * The URL to give the gateway for its webhooks. The dashboard is served by the same server
 * as the API, so the address it is open at reaches Recur; a deployment reached by gateways on
 * another address (RECUR_PUBLIC_URL) uses that one with the same path.
 */
export function webhookUrl(account: Pick<GatewayAccount, 'webhook_path'>): string {
  return new URL(account.webhook_path, window.location.origin).toString();
}

import type { AuditLogTable } from '../modules/audit/models.ts';
import type { ApiKeysTable, SessionsTable, UsersTable } from '../modules/auth/models.ts';
import type { CouponsTable } from '../modules/catalog/coupons/models.ts';
import type { PromotionCodesTable } from '../modules/catalog/promotion-codes/models.ts';
import type { PricesTable } from '../modules/catalog/prices/models.ts';
import type { ProductsTable } from '../modules/catalog/products/models.ts';
import type { TaxRatesTable } from '../modules/catalog/tax-rates/models.ts';
import type { CustomersTable } from '../modules/customers/models.ts';
import type { EventsTable } from '../modules/events/models.ts';
import type { AccountsTable, WorkspacesTable } from '../modules/workspaces/models.ts';
import type { IdempotencyKeysTable } from '../server/idempotency.ts';
import type { InvoiceItemsTable, InvoiceLinesTable, InvoiceNumberingTable, InvoicesTable } from '../modules/billing/invoices/models.ts';
import type { SubscriptionItemsTable, SubscriptionsTable } from '../modules/subscriptions/models.ts';
import type { TestClocksTable } from '../modules/subscriptions/test-clocks/models.ts';
import type { SubscriptionSchedulesTable } from '../modules/subscriptions/schedules/models.ts';
import type { DunningSettingsTable } from '../modules/payments/dunning/models.ts';

/** Every table, as Kysely sees it. Each module owns the types of its own tables. */
export interface Database {
  accounts: AccountsTable;
  workspaces: WorkspacesTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
  idempotency_keys: IdempotencyKeysTable;
  events: EventsTable;
  customers: CustomersTable;
  products: ProductsTable;
  prices: PricesTable;
  tax_rates: TaxRatesTable;
  coupons: CouponsTable;
  promotion_codes: PromotionCodesTable;
  payment_methods: import('../modules/payments/payment-methods/models.ts').PaymentMethodsTable;
  test_gateway_charges: import('../modules/payments/payment-methods/models.ts').TestGatewayChargesTable;
  test_clocks: TestClocksTable;
  subscriptions: SubscriptionsTable;
  subscription_items: SubscriptionItemsTable;
  subscription_schedules: SubscriptionSchedulesTable;
  invoice_numbering: InvoiceNumberingTable;
  invoices: InvoicesTable;
  invoice_lines: InvoiceLinesTable;
  invoice_items: InvoiceItemsTable;
  dunning_settings: DunningSettingsTable;
}

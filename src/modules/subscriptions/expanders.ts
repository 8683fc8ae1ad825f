import type { Expanders } from '../../server/expand.ts';
import { retrieveInvoice } from '../billing/invoices/service.ts';
import { retrieveCustomer } from '../customers/service.ts';
import { retrieveSubscription } from './service.ts';

/** `expand[]` for subscriptions and invoices (Stripe's common ones). */
export const subscriptionExpanders: Expanders = {
  subscription: {
    customer: retrieveCustomer,
    latest_invoice: retrieveInvoice,
  },
  invoice: {
    customer: retrieveCustomer,
    subscription: retrieveSubscription,
  },
};

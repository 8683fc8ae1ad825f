import type { QueryClient } from '@tanstack/react-query';
import { useQuery } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, Navigate, Outlet, redirect } from '@tanstack/react-router';
import { AppLayout } from './components/AppLayout.tsx';
import { NotFound } from './pages/NotFound.tsx';
import { AcceptInvitePage } from './pages/AcceptInvite.tsx';
import { ApiKeysPage } from './pages/developers/ApiKeys.tsx';
import { WebhookPage } from './pages/developers/WebhookPage.tsx';
import { WebhooksPage } from './pages/developers/WebhooksPage.tsx';
import { CustomerPage } from './pages/customers/CustomerPage.tsx';
import { CustomersPage } from './pages/customers/CustomersPage.tsx';
import { CouponsPage } from './pages/catalog/CouponsPage.tsx';
import { ProductPage } from './pages/catalog/ProductPage.tsx';
import { ProductsPage } from './pages/catalog/ProductsPage.tsx';
import { TaxRatesPage } from './pages/catalog/TaxRatesPage.tsx';
import { InvoicePage } from './pages/invoices/InvoicePage.tsx';
import { InvoicesPage } from './pages/invoices/InvoicesPage.tsx';
import { parseInvoiceFilter, type InvoiceFilter } from './pages/invoices/status.tsx';
import { MessagePage } from './pages/messages/MessagePage.tsx';
import { MessagesPage } from './pages/messages/MessagesPage.tsx';
import { parseMessageFilter, type MessageFilter } from './pages/messages/status.tsx';
import { LoginPage } from './pages/Login.tsx';
import { DunningPage } from './pages/payments/DunningPage.tsx';
import { FailedPaymentsPage } from './pages/payments/FailedPaymentsPage.tsx';
import { GatewaysPage } from './pages/payments/GatewaysPage.tsx';
import { AuditLogPage } from './pages/settings/AuditLog.tsx';
import { TeamPage } from './pages/settings/Team.tsx';
import { SubscriptionPage } from './pages/subscriptions/SubscriptionPage.tsx';
import { SubscriptionsPage } from './pages/subscriptions/SubscriptionsPage.tsx';
import { TasksPage } from './pages/tasks/TasksPage.tsx';
import { parseKindFilter } from './pages/tasks/tasks.tsx';
import type { TaskKind } from '../../src/modules/crm/tasks/models.ts';
import { parseSubscriptionFilter, type SubscriptionFilter } from './pages/subscriptions/status.tsx';
import { sessionQuery, SessionProvider, WorkspaceProvider } from './session.tsx';

export interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: Outlet,
  notFoundComponent: NotFound,
});

/** Where to go after signing in: only paths inside the dashboard. */
function safeRedirect(value: unknown): string | undefined {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/login') ? value : undefined;
}

export const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } => {
    const target = safeRedirect(search.redirect);
    return target ? { redirect: target } : {};
  },
  beforeLoad: async ({ context, search }) => {
    const session = await context.queryClient.ensureQueryData(sessionQuery);
    if (session) throw redirect({ href: search.redirect ?? '/customers' });
  },
  component: LoginPage,
});

export const inviteRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/invite/$token',
  component: AcceptInvitePage,
});

function SignedIn() {
  const { data: session } = useQuery(sessionQuery);
  if (!session) return <Navigate to="/login" />;
  return (
    <SessionProvider session={session}>
      <WorkspaceProvider workspaces={session.workspaces}>
        <AppLayout />
      </WorkspaceProvider>
    </SessionProvider>
  );
}

const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
    const session = await context.queryClient.ensureQueryData(sessionQuery);
    if (!session) {
      const target = safeRedirect(location.href);
      throw redirect({ to: '/login', search: target && target !== '/' ? { redirect: target } : {} });
    }
  },
  component: SignedIn,
});

const indexRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  beforeLoad: () => {
    throw redirect({ to: '/customers' });
  },
});

export const customersRoute = createRoute({ getParentRoute: () => appRoute, path: '/customers', component: CustomersPage });
export const customerRoute = createRoute({ getParentRoute: () => appRoute, path: '/customers/$customerId', component: CustomerPage });
const productsRoute = createRoute({ getParentRoute: () => appRoute, path: '/products', component: ProductsPage });
const productRoute = createRoute({ getParentRoute: () => appRoute, path: '/products/$productId', component: ProductPage });
const couponsRoute = createRoute({ getParentRoute: () => appRoute, path: '/coupons', component: CouponsPage });
const taxRatesRoute = createRoute({ getParentRoute: () => appRoute, path: '/tax-rates', component: TaxRatesPage });
// The list filters live in the URL (?status=past_due), so a filtered list can be linked to.
export const subscriptionsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/subscriptions',
  validateSearch: (search: Record<string, unknown>): { status?: SubscriptionFilter } => {
    const status = parseSubscriptionFilter(search.status);
    return status ? { status } : {};
  },
  component: SubscriptionsPage,
});
const subscriptionRoute = createRoute({ getParentRoute: () => appRoute, path: '/subscriptions/$subscriptionId', component: SubscriptionPage });
export const invoicesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/invoices',
  validateSearch: (search: Record<string, unknown>): { status?: InvoiceFilter } => {
    const status = parseInvoiceFilter(search.status);
    return status ? { status } : {};
  },
  component: InvoicesPage,
});
const invoiceRoute = createRoute({ getParentRoute: () => appRoute, path: '/invoices/$invoiceId', component: InvoicePage });
export const messagesRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/messages',
  validateSearch: (search: Record<string, unknown>): { status?: MessageFilter } => {
    const status = parseMessageFilter(search.status);
    return status ? { status } : {};
  },
  component: MessagesPage,
});
export const tasksRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/tasks',
  validateSearch: (search: Record<string, unknown>): { kind?: TaskKind } => {
    const kind = parseKindFilter(search.kind);
    return kind ? { kind } : {};
  },
  component: TasksPage,
});
const failedPaymentsRoute = createRoute({ getParentRoute: () => appRoute, path: '/failed-payments', component: FailedPaymentsPage });
const messageRoute = createRoute({ getParentRoute: () => appRoute, path: '/messages/$messageId', component: MessagePage });
const apiKeysRoute = createRoute({ getParentRoute: () => appRoute, path: '/developers/api-keys', component: ApiKeysPage });
const webhooksRoute = createRoute({ getParentRoute: () => appRoute, path: '/developers/webhooks', component: WebhooksPage });
const webhookRoute = createRoute({ getParentRoute: () => appRoute, path: '/developers/webhooks/$endpointId', component: WebhookPage });
const gatewaysRoute = createRoute({ getParentRoute: () => appRoute, path: '/settings/gateways', component: GatewaysPage });
const dunningRoute = createRoute({ getParentRoute: () => appRoute, path: '/settings/dunning', component: DunningPage });
const teamRoute = createRoute({ getParentRoute: () => appRoute, path: '/settings/team', component: TeamPage });
const auditLogRoute = createRoute({ getParentRoute: () => appRoute, path: '/settings/audit-log', component: AuditLogPage });

const routeTree = rootRoute.addChildren([
  loginRoute,
  inviteRoute,
  appRoute.addChildren([
    indexRoute,
    customersRoute,
    customerRoute,
    tasksRoute,
    subscriptionsRoute,
    subscriptionRoute,
    invoicesRoute,
    invoiceRoute,
    failedPaymentsRoute,
    messagesRoute,
    messageRoute,
    productsRoute,
    productRoute,
    couponsRoute,
    taxRatesRoute,
    apiKeysRoute,
    webhooksRoute,
    webhookRoute,
    gatewaysRoute,
    dunningRoute,
    teamRoute,
    auditLogRoute,
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    basepath: '/admin',
    context: { queryClient },
    defaultPreload: false,
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}

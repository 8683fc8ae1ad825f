import { useNavigate, useSearch } from '@tanstack/react-router';
import type { Subscription } from '../../billing.ts';
import { IconRepeat } from '../../components/icons.tsx';
import { StatusTabs } from '../../components/StatusTabs.tsx';
import { ListTable } from '../../components/ListTable.tsx';
import { Empty, PageHeader } from '../../components/states.tsx';
import { usePagedList } from '../../searchableList.ts';
import { useWorkspace } from '../../session.tsx';
import { SUBSCRIPTION_FILTERS, subscriptionLabel, type SubscriptionFilter } from './status.tsx';
import { subscriptionColumns } from './summary.tsx';

const columns = subscriptionColumns(false);

export function SubscriptionsPage() {
  const { workspace } = useWorkspace();
  const { status } = useSearch({ from: '/app/subscriptions' });
  const navigate = useNavigate();
  const filter: SubscriptionFilter = status ?? 'current';
  // The customer is expanded so the list can show names, not ids.
  const page = usePagedList<Subscription>('/v1/subscriptions', { status, 'expand[0]': 'data.customer' });
  const setFilter = (next: SubscriptionFilter) => {
    void navigate({ to: '/subscriptions', search: next === 'current' ? {} : { status: next } });
  };
  return (
    <>
      <PageHeader
        title="Subscriptions"
        description={`Recurring plans of your customers in the ${workspace.mode === 'live' ? 'live' : 'sandbox'} workspace. Start one from a customer's page.`}
      />
      <StatusTabs value={filter} options={SUBSCRIPTION_FILTERS} label={subscriptionLabel} onChange={setFilter} testId="subscription-status-filter" mb="md" />
      <ListTable
        query={page.result}
        rows={page.data}
        columns={columns}
        tableTestId="subscriptions-table"
        rowTestId="subscription-row"
        errorTitle="Could not load subscriptions"
        rowLink={(s) => ({ to: '/subscriptions/$subscriptionId', params: { subscriptionId: s.id } })}
        paging={{ ...page, nouns: ['subscription', 'subscriptions'] }}
        minWidth={860}
        empty={
          page.firstPage ? (
            <Empty
              icon={<IconRepeat size={28} />}
              title={filter === 'current' || filter === 'all' ? 'No subscriptions yet' : `No ${subscriptionLabel(filter).toLowerCase()} subscriptions`}
              description="Open a customer and choose Subscribe to start one."
            />
          ) : null
        }
      />
    </>
  );
}

import { Badge, Divider, Group, Paper, Stack, Table, Text } from '@mantine/core';
import type { TaxRate } from '../../api.ts';
import { isProration, type DiscountAmount, type Invoice, type TaxAmount } from '../../billing.ts';
import { formatMoney, formatPeriod } from '../../format.ts';
import { useV1Query } from '../../hooks.ts';

/**
 * An invoice's lines (description, period, quantity, amount; prorations marked) and its
 * totals. Used for saved invoices and for previews (create_preview), which have no ids.
 */
export function InvoiceLines({ invoice, testId, lineTestId }: { invoice: Invoice; testId: string; lineTestId: string }) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table data-testid={testId}>
        <Table.Thead bg="gray.0">
          <Table.Tr>
            <Table.Th>Description</Table.Th>
            <Table.Th w={210}>Period</Table.Th>
            <Table.Th w={60}>Qty</Table.Th>
            <Table.Th w={120} ta="right">
              Amount
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {invoice.lines.data.map((line, index) => {
            const proration = isProration(line);
            return (
              <Table.Tr key={line.id || index} data-testid={lineTestId} data-proration={String(proration)} data-amount={line.amount}>
                <Table.Td>
                  <Text size="sm" data-testid="line-description">
                    {line.description ?? '—'}
                  </Text>
                  {proration ? (
                    <Badge size="xs" variant="light" color="grape" mt={2}>
                      Proration
                    </Badge>
                  ) : null}
                </Table.Td>
                <Table.Td>
                  <Text size="xs" c="dimmed">
                    {formatPeriod(line.period)}
                  </Text>
                </Table.Td>
                <Table.Td>{line.quantity ?? '—'}</Table.Td>
                <Table.Td ta="right">
                  <Text size="sm" fw={500} data-testid="line-amount" c={line.amount < 0 ? 'teal.8' : undefined}>
                    {formatMoney(line.amount, invoice.currency)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function TotalRow({ label, amount, currency, testId, strong }: { label: string; amount: number; currency: string; testId?: string; strong?: boolean }) {
  return (
    <Group justify="space-between" wrap="nowrap">
      <Text size="sm" c={strong ? undefined : 'dimmed'} fw={strong ? 600 : undefined}>
        {label}
      </Text>
      <Text size="sm" fw={strong ? 650 : 500} data-testid={testId}>
        {formatMoney(amount, currency)}
      </Text>
    </Group>
  );
}

function discountLabel(discount: DiscountAmount): string {
  const d = discount.discount;
  if (d && typeof d === 'object' && d.coupon) return `Discount (${d.coupon.name ?? d.coupon.id})`;
  return 'Discount';
}

function TaxRow({ tax, currency }: { tax: TaxAmount; currency: string }) {
  const id = tax.tax_rate_details?.tax_rate ?? null;
  // The line names the rate by id: its name and percentage come from the tax rate itself.
  const rate = useV1Query<TaxRate>(`/v1/tax_rates/${encodeURIComponent(id ?? '')}`, undefined, { enabled: Boolean(id) });
  const name = rate.data ? `${rate.data.display_name} ${rate.data.percentage}%` : 'Tax';
  return <TotalRow label={tax.tax_behavior === 'inclusive' ? `${name} (included)` : name} amount={tax.amount} currency={currency} testId="total-tax" />;
}

/** Subtotal, discounts, taxes, total, then what the customer's balance and payments changed. */
export function InvoiceTotals({ invoice }: { invoice: Invoice }) {
  const { currency } = invoice;
  const discounts = invoice.total_discount_amounts ?? [];
  const taxes = invoice.total_taxes ?? [];
  // amount_due = total + (starting_balance − ending_balance); a draft has no ending balance yet.
  const appliedBalance = invoice.ending_balance != null ? invoice.starting_balance - invoice.ending_balance : invoice.amount_due - invoice.total;
  return (
    <Stack gap={6} maw={360} ml="auto" data-testid="invoice-totals">
      <TotalRow label="Subtotal" amount={invoice.subtotal} currency={currency} testId="total-subtotal" />
      {discounts.map((d, i) => (
        <TotalRow key={i} label={discountLabel(d)} amount={-d.amount} currency={currency} testId="total-discount" />
      ))}
      {taxes.map((t, i) => (
        <TaxRow key={i} tax={t} currency={currency} />
      ))}
      {taxes.length === 0 && invoice.tax ? <TotalRow label="Tax" amount={invoice.tax} currency={currency} testId="total-tax" /> : null}
      <Divider my={4} />
      <TotalRow label="Total" amount={invoice.total} currency={currency} testId="total-total" strong />
      {appliedBalance !== 0 ? <TotalRow label="Applied customer balance" amount={appliedBalance} currency={currency} testId="total-balance" /> : null}
      <TotalRow label="Amount due" amount={invoice.amount_due} currency={currency} testId="total-due" strong />
      {invoice.amount_paid ? <TotalRow label="Amount paid" amount={invoice.amount_paid} currency={currency} testId="total-paid" /> : null}
      {invoice.amount_paid && invoice.amount_remaining ? (
        <TotalRow label="Amount remaining" amount={invoice.amount_remaining} currency={currency} testId="total-remaining" />
      ) : null}
    </Stack>
  );
}

export function InvoiceLinesPanel({ invoice }: { invoice: Invoice }) {
  return (
    <Paper withBorder style={{ overflow: 'hidden' }}>
      <InvoiceLines invoice={invoice} testId="invoice-lines" lineTestId="invoice-line" />
      <Divider />
      <Stack p="md">
        <InvoiceTotals invoice={invoice} />
      </Stack>
    </Paper>
  );
}

import { Badge, DataList, Group, Paper, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Address, Customer } from '../../api.ts';
import { formatDateTime } from '../../format.ts';

function none(text = 'Not set') {
  return (
    <Text span c="dimmed" size="sm">
      {text}
    </Text>
  );
}

function addressLines(address: Address | null): string[] {
  if (!address) return [];
  const cityLine = [address.postal_code, address.city, address.state].filter(Boolean).join(' ');
  return [address.line1, address.line2, cityLine, address.country].filter((l): l is string => Boolean(l));
}

function Row({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue data-testid={testId}>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

/** The customer's profile, read-only. */
export function CustomerDetails({ customer }: { customer: Customer }) {
  const lines = addressLines(customer.address);
  const metadata = Object.entries(customer.metadata);
  return (
    <>
      <Paper withBorder p="lg">
        <Title order={4} fz="md" mb="md">
          Details
        </Title>
        <DataList labelWidth={160} withDivider gap="sm" data-testid="customer-details">
          <Row label="Email" testId="detail-email">
            {customer.email ?? none()}
          </Row>
          <Row label="Phone" testId="detail-phone">
            {customer.phone ?? none()}
          </Row>
          <Row label="Description">{customer.description ?? none()}</Row>
          <Row label="Billing address" testId="detail-address">
            {lines.length ? lines.map((line, i) => <div key={i}>{line}</div>) : none()}
          </Row>
          <Row label="Preferred locales" testId="detail-locales">
            {customer.preferred_locales.length ? (
              <Group gap={6}>
                {customer.preferred_locales.map((l) => (
                  <Badge key={l} variant="light" color="gray" radius="sm" tt="none">
                    {l}
                  </Badge>
                ))}
              </Group>
            ) : (
              none()
            )}
          </Row>
          <Row label="Tax status">{customer.tax_exempt === 'none' ? 'Taxable' : customer.tax_exempt === 'exempt' ? 'Exempt' : 'Reverse charge'}</Row>
          <Row label="Created" testId="detail-created">
            {formatDateTime(customer.created)}
          </Row>
          <Row label="Customer ID">
            <span className="recur-mono">{customer.id}</span>
          </Row>
        </DataList>
      </Paper>
      <Paper withBorder p="lg">
        <Title order={4} fz="md" mb="md">
          Metadata
        </Title>
        {metadata.length === 0 ? (
          <Text size="sm" c="dimmed">
            No metadata.
          </Text>
        ) : (
          <Table withRowBorders data-testid="customer-metadata">
            <Table.Tbody>
              {metadata.map(([key, value]) => (
                <Table.Tr key={key}>
                  <Table.Td w="35%">
                    <span className="recur-mono">{key}</span>
                  </Table.Td>
                  <Table.Td>{value}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>
    </>
  );
}

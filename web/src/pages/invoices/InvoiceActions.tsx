import { Alert, Button, Group } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { requestBlob, type ApiError } from '../../api.ts';
import type { SavedInvoice } from '../../billing.ts';
import { ConfirmModal } from '../../components/ConfirmModal.tsx';
import { IconDownload } from '../../components/icons.tsx';
import { useV1Mutation } from '../../hooks.ts';
import { canWrite, useSession, useWorkspace } from '../../session.tsx';

type Action = 'finalize' | 'pay' | 'void' | 'mark_uncollectible';

/** Which transitions each status allows (Stripe's invoice state machine). */
const ACTIONS: Record<string, Action[]> = {
  draft: ['finalize'],
  open: ['pay', 'mark_uncollectible', 'void'],
  uncollectible: ['pay', 'void'],
};

const LABELS: Record<Action, string> = { finalize: 'Finalize', pay: 'Charge now', void: 'Void', mark_uncollectible: 'Mark uncollectible' };

/** Void and uncollectible cannot be taken back, so they are confirmed first. */
const CONFIRM: Partial<Record<Action, string>> = {
  void: 'Voiding keeps the invoice for your records but the customer no longer owes it. This cannot be undone.',
  mark_uncollectible: 'Mark this invoice as not expected to be paid? You can still charge or void it later.',
};

/** Saves a blob under a file name: through a temporary object URL and a clicked <a download>. */
function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked a little later: the download may still be reading the URL when click() returns.
  window.setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

export function PdfButton({ invoice }: { invoice: SavedInvoice }) {
  const { workspace } = useWorkspace();
  // fetch, not a link: the PDF needs the session cookie and the Recur-Workspace header.
  const download = useMutation<void, ApiError>({
    mutationFn: async () => saveBlob(await requestBlob(`/v1/invoices/${encodeURIComponent(invoice.id)}/pdf`, { workspace: workspace.id }), `${invoice.number ?? invoice.id}.pdf`),
  });
  return (
    <>
      <Button variant="default" leftSection={<IconDownload size={16} />} loading={download.isPending} onClick={() => download.mutate()} data-testid="invoice-pdf">
        Download PDF
      </Button>
      {download.error ? (
        <Alert color="red" variant="light" role="alert" py={6}>
          {download.error.message}
        </Alert>
      ) : null}
    </>
  );
}

export function InvoiceActions({ invoice }: { invoice: SavedInvoice }) {
  const { user } = useSession();
  const [confirming, setConfirming] = useState<Action | null>(null);
  const act = useV1Mutation((client, action: Action) => client.post<SavedInvoice>(`/v1/invoices/${encodeURIComponent(invoice.id)}/${action}`, {}), {
    onSuccess: () => setConfirming(null),
  });
  const actions = canWrite(user.role) ? (ACTIONS[invoice.status ?? ''] ?? []) : [];
  const run = (action: Action) => (CONFIRM[action] ? setConfirming(action) : act.mutate(action));
  return (
    <Group gap="sm" wrap="nowrap">
      <PdfButton invoice={invoice} />
      {actions.map((action) => (
        <Button
          key={action}
          variant={action === 'finalize' || action === 'pay' ? 'filled' : 'light'}
          color={action === 'void' || action === 'mark_uncollectible' ? 'red' : undefined}
          loading={act.isPending && act.variables === action}
          disabled={act.isPending && act.variables !== action}
          onClick={() => run(action)}
          data-testid={`invoice-${action.replace('_', '-')}`}
        >
          {LABELS[action]}
        </Button>
      ))}
      {act.error && !confirming ? (
        <Alert color="red" variant="light" role="alert" py={6} data-testid="invoice-action-error">
          {act.error.message}
        </Alert>
      ) : null}
      <ConfirmModal
        opened={confirming !== null}
        title={confirming ? `${LABELS[confirming]} invoice` : ''}
        confirmLabel={confirming ? LABELS[confirming] : ''}
        loading={act.isPending}
        error={act.error}
        onConfirm={() => confirming && act.mutate(confirming)}
        onClose={() => {
          act.reset();
          setConfirming(null);
        }}
      >
        {confirming ? CONFIRM[confirming] : null}
      </ConfirmModal>
    </Group>
  );
}

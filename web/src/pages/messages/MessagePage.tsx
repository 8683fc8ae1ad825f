import { Alert, Paper, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { useParams } from '@tanstack/react-router';
import { BackLink, Detail, DetailGate, DetailHeader } from '../../components/DetailHeader.tsx';
import { IconAlert } from '../../components/icons.tsx';
import { AnchorLink } from '../../components/links.tsx';
import { formatDateTime } from '../../format.ts';
import { useV1Query } from '../../hooks.ts';
import { MessageStatusBadge, templateLabel, type EmailMessage } from './status.tsx';

function MessageSummary({ message }: { message: EmailMessage }) {
  return (
    <Paper withBorder p="md">
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md" verticalSpacing="md">
        <Detail label="To" testId="message-to">
          {message.customer ? (
            <AnchorLink to="/customers/$customerId" params={{ customerId: message.customer }}>
              {message.to}
            </AnchorLink>
          ) : (
            message.to
          )}
        </Detail>
        <Detail label="Type">{templateLabel(message.template)}</Detail>
        <Detail label="Language">{message.locale}</Detail>
        <Detail label="Attempts" testId="message-attempts">
          {message.attempts}
        </Detail>
        <Detail label="Queued">{formatDateTime(message.created)}</Detail>
        {message.sent_at ? <Detail label="Sent">{formatDateTime(message.sent_at)}</Detail> : null}
        {message.next_attempt_at && message.status === 'queued' ? <Detail label="Next attempt">{formatDateTime(message.next_attempt_at)}</Detail> : null}
        {message.attachments.map((a) => (
          <Detail key={a.invoice} label="Attachment">
            <AnchorLink to="/invoices/$invoiceId" params={{ invoiceId: a.invoice }}>
              Invoice PDF
            </AnchorLink>
          </Detail>
        ))}
        <Detail label="Message-ID">
          <span className="recur-mono">{message.message_id}</span>
        </Detail>
      </SimpleGrid>
    </Paper>
  );
}

export function MessagePage() {
  const { messageId } = useParams({ from: '/app/messages/$messageId' });
  const query = useV1Query<EmailMessage>(`/v1/email_messages/${encodeURIComponent(messageId)}`);
  const back = <BackLink to="/messages" label="Messages" />;
  return (
    <DetailGate query={query} back={back} noun="Message">
      {(message) => (
        <>
          {back}
          <DetailHeader title={message.subject} titleTestId="message-subject" id={message.id} badges={<MessageStatusBadge status={message.status} testId="message-status" />} />
          <Stack gap="lg">
            {message.last_error ? (
              <Alert color={message.status === 'failed' ? 'red' : 'orange'} variant="light" icon={<IconAlert />} title={message.status === 'failed' ? 'Not sent' : 'Last attempt failed'}>
                <Text size="sm" data-testid="message-last-error">
                  {message.last_error}
                </Text>
              </Alert>
            ) : null}
            <MessageSummary message={message} />
            <Stack gap="sm">
              <Title order={3} fz={18}>
                Content
              </Title>
              <Tabs defaultValue="text">
                <Tabs.List>
                  <Tabs.Tab value="text">Text</Tabs.Tab>
                  <Tabs.Tab value="html">HTML</Tabs.Tab>
                </Tabs.List>
                <Tabs.Panel value="text" pt="sm">
                  <Paper withBorder p="md">
                    <Text component="pre" size="sm" m={0} style={{ whiteSpace: 'pre-wrap', fontFamily: 'inherit' }} data-testid="message-text">
                      {message.text}
                    </Text>
                  </Paper>
                </Tabs.Panel>
                <Tabs.Panel value="html" pt="sm">
                  <Paper withBorder style={{ overflow: 'hidden' }}>
                    {/* sandbox="": the message runs no script and cannot reach the dashboard. */}
                    <iframe title="HTML version" sandbox="" srcDoc={message.html} style={{ width: '100%', height: 640, border: 0, display: 'block' }} />
                  </Paper>
                </Tabs.Panel>
              </Tabs>
            </Stack>
          </Stack>
        </>
      )}
    </DetailGate>
  );
}

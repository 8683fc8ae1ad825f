import { ActionIcon, Code, CopyButton, Group, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from './icons.tsx';

/** A one-time value (secret key, invite link) in monospace with a copy button. */
export function CopyField({ value, label }: { value: string; label: string }) {
  return (
    <Group gap="xs" wrap="nowrap" align="center">
      <Code
        block
        data-testid="copy-field-value"
        style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap', fontSize: 13, padding: '10px 12px' }}
      >
        {value}
      </Code>
      <CopyButton value={value} timeout={2000}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? 'Copied' : `Copy ${label}`} withArrow position="left">
            <ActionIcon
              color={copied ? 'teal' : 'gray'}
              variant="light"
              size="lg"
              onClick={copy}
              aria-label={`Copy ${label}`}
            >
              {copied ? <IconCheck /> : <IconCopy />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}
